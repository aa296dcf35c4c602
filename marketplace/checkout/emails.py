"""Order notices: a confirmation email to the shopper; to each producer a new-order email and
an SMS (marketplace.notify.sms), both after commit. Each is written in its reader's language:
the shopper's as they ordered, the producer's as its owner chose."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.errors import DomainError
from marketplace.language.services import language_of_producer
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
        with translation.override(order.language):
            body = render_to_string(
                "checkout/email/order_confirmation.txt",
                {"order": order, "site_url": settings.SITE_URL},
            )
            subject = _("Xác nhận đơn hàng %(number)s") % {"number": order.number}
        messages.append((subject, body, None, [order.email]))
    for sub in order.sub_orders.all():
        if sub.producer.email:
            with translation.override(language_of_producer(sub.producer)):
                body = render_to_string(
                    "checkout/email/producer_notice.txt", {"order": order, "sub": sub}
                )
                subject = _("Đơn hàng mới %(number)s") % {"number": order.number}
            messages.append((subject, body, None, [sub.producer.email]))
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
        with translation.override(language_of_producer(sub.producer)):
            text = ngettext(
                "Chợ OCOP: đơn mới %(number)s, %(items)s sản phẩm, %(total)s.\n"
                "Xem và gửi hàng: %(url)s",
                "Chợ OCOP: đơn mới %(number)s, %(items)s sản phẩm, %(total)s.\n"
                "Xem và gửi hàng: %(url)s",
                items,
            ) % {
                "number": order.number,
                "items": items,
                "total": format_vnd(sub.total),
                "url": f"{settings.SITE_URL}/portal/don-hang/#o{sub.pk}",
            }
        try:
            sent += send_sms(sub.producer.phone, text)
        except (DomainError, OSError):  # a wrong number or a gateway down never undoes an order
            log.exception("could not text %s about order %s", sub.producer.code, order.number)
    return sent
