"""The shopper's email about a refund: when it is created and when the money is on its way.

Sent after commit in the language the shopper ordered in; a mail failure is logged, never
undoes the refund."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def send_refund_email(refund_id: int) -> int:
    from marketplace.payments.models import Refund  # models import nothing from here

    item = Refund.objects.select_related("payment__order", "sub_order__producer").get(pk=refund_id)
    order = item.payment.order
    if not order.email:
        return 0
    with translation.override(order.language):
        body = render_to_string(
            "payments/email/refund.txt",
            {"refund": item, "order": order, "site_url": settings.SITE_URL},
        )
        subject = _("Hoàn tiền đơn hàng %(number)s: %(status)s") % {
            "number": order.number,
            "status": item.get_status_display(),
        }
    try:
        return send_mail(subject, body, None, [order.email], fail_silently=False)
    except OSError:
        log.exception("could not send the refund email of %s", item.key)
        return 0
