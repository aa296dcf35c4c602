"""The catalog's tasks, for Celery's autodiscovery: they live beside the code that queues them."""

from marketplace.catalog.photo_jobs import process_photo

__all__ = ["process_photo"]
