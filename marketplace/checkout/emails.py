"""Order notices: a confirmation email to the shopper; to each producer a new-order email and
an SMS (marketplace.notify.sms), both after commit."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from marketplace.errors import DomainError
from marketplace.money import format_vnd
from marketplace.notify.sms import send_sms

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
    send_producer_sms(order)
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        log.exception("could not send the emails of order %s", order.number)
        return 0


def send_producer_sms(order) -> int:
    """One short SMS per producer of the order: a household seller reads SMS before email."""
    sent = 0
    for sub in order.sub_orders.all():
        if not sub.producer.phone:
            continue
        items = sum(line.quantity for line in sub.lines.all())
        text = (
            f"Chợ OCOP: đơn mới {order.number}, {items} sản phẩm, {format_vnd(sub.total)}.\n"
            f"Xem và gửi hàng: {settings.SITE_URL}/portal/don-hang/#o{sub.pk}"
        )
        try:
            sent += send_sms(sub.producer.phone, text)
        except (DomainError, OSError):  # a wrong number or a gateway down never undoes an order
            log.exception("could not text %s about order %s", sub.producer.code, order.number)
    return sent
