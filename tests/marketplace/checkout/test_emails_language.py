"""Emails and SMS about an order are written in their reader's language: the shopper's as they
ordered (Accept-Language, cookie or account), each producer's as its owner chose."""

import pytest
from django.core import mail
from django.utils import translation

from marketplace.checkout import services
from marketplace.checkout.models import Order
from marketplace.language.services import remember
from marketplace.notify import sms
from marketplace.payments.models import PaymentMethod
from producers.models import MemberRole, Membership
from tests.marketplace.checkout.buying import checkout_for, three_producers

pytestmark = pytest.mark.django_db


def _order(django_capture_on_commit_callbacks, language, products):
    sms.outbox.clear()
    with translation.override(language):
        checkout = checkout_for(products)
        with django_capture_on_commit_callbacks(execute=True):
            return services.complete_checkout(checkout.pk, PaymentMethod.COD)


def _mail_to(address):
    return next(m for m in mail.outbox if m.to == [address])


def test_an_english_shoppers_confirmation_is_english(django_capture_on_commit_callbacks):
    products = three_producers()[:1]
    order = _order(django_capture_on_commit_callbacks, "en", products)
    assert Order.objects.get(pk=order.pk).language == "en"
    confirmation = _mail_to("lan@example.vn")
    assert confirmation.subject == f"Order confirmation {order.number}"
    body = confirmation.body
    assert "Thank you for your order" in body and "Cash on delivery" in body
    assert "Delivery fee" in body and "Look up your order" in body
    assert "Cảm ơn" not in body and "Thanh toán" not in body


def test_a_vietnamese_shoppers_confirmation_stays_vietnamese(django_capture_on_commit_callbacks):
    order = _order(django_capture_on_commit_callbacks, "vi", three_producers()[:1])
    assert order.language == "vi"
    confirmation = _mail_to("lan@example.vn")
    assert confirmation.subject == f"Xác nhận đơn hàng {order.number}"
    assert "Cảm ơn bạn đã đặt hàng" in confirmation.body


def test_each_producer_reads_its_owners_language(
    django_capture_on_commit_callbacks, django_user_model
):
    products = three_producers()
    english, vietnamese = products[0].producer, products[1].producer
    owner = django_user_model.objects.create_user("+84911222333", password="x-Long-Enough-1")
    Membership.objects.create(user=owner, producer=english, role=MemberRole.OWNER)
    remember(owner, "en")
    for producer, address in ((english, "en@producer.vn"), (vietnamese, "vi@producer.vn")):
        producer.email = address
        producer.save(update_fields=["email"])
    # The shopper orders in Vietnamese: that decides nothing for the producers.
    order = _order(django_capture_on_commit_callbacks, "vi", products[:2])
    texts = {message.phone: message.text for message in sms.outbox}
    english_sms = texts[sms.normalize_phone(english.phone)]
    assert english_sms.startswith(f"OCOP Market: new order {order.number}, 1 item,")
    assert "View and ship: " in english_sms
    assert texts[sms.normalize_phone(vietnamese.phone)].startswith(
        f"Chợ OCOP: đơn mới {order.number}"
    )
    notice = _mail_to("en@producer.vn")
    assert notice.subject == f"New order {order.number}"
    assert f"{english.name} has a new order: {order.number}." in notice.body
    assert "Deliver to" in notice.body and "Giao đến" not in notice.body
    assert _mail_to("vi@producer.vn").subject == f"Đơn hàng mới {order.number}"
    assert "Giao đến" in _mail_to("vi@producer.vn").body
