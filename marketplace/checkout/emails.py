"""Order emails: a confirmation to the shopper, a new-order notice to each producer."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def send_order_emails(order_id: int) -> int:
    """Runs after commit; a mail failure never undoes an order (it is logged instead)."""
    from marketplace.checkout.models import Order

    order = (
        Order.objects.select_related("payment", "ward", "province")
        .prefetch_related("sub_orders__producer", "sub_orders__lines")
        .get(pk=order_id)
    )
    messages = []
    if order.email:
        body = render_to_string(
            "checkout/email/order_confirmation.txt",
            {"order": order, "site_url": settings.SITE_URL},
        )
        messages.append((f"Xác nhận đơn hàng {order.number}", body, None, [order.email]))
    for sub in order.sub_orders.all():
        if sub.producer.email:
            body = render_to_string(
                "checkout/email/producer_notice.txt", {"order": order, "sub": sub}
            )
            messages.append((f"Đơn hàng mới {order.number}", body, None, [sub.producer.email]))
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        log.exception("could not send the emails of order %s", order.number)
        return 0
