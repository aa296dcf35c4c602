"""The invoices app listens to checkout's deliveries and accepted returns: checkout never
imports it."""

from django.dispatch import receiver

from marketplace.checkout.services.orders import sub_order_delivered
from marketplace.checkout.services.returns import return_accepted
from marketplace.invoices import issuing


@receiver(sub_order_delivered, dispatch_uid="invoices_issue_on_delivery")
def issue_on_delivery(sender, sub_order, **kwargs):
    issuing.issue_on_delivery(sub_order)


@receiver(return_accepted, dispatch_uid="invoices_follow_return")
def follow_return(sender, return_request, **kwargs):
    issuing.follow_return(return_request)
