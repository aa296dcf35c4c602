"""Scheduled settlement work (config/celery.py's beat schedule): the weekly statements."""

from celery import shared_task

from marketplace.settlements import statements


@shared_task(name="settlements.issue_statements")
def issue_statements() -> int:
    """Safe to run twice: a period's statement is issued once (its number and its events are
    unique), so a second run finds nothing left to settle."""
    return len(statements.issue_all())
