"""Email and SMS through the task queue: same message out, and a re-delivered task sends once."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from marketplace.notify import mail as queued_mail
from marketplace.notify import sms
from tests.tasks import outcome

QUEUED = {
    "EMAIL_BACKEND": "marketplace.notify.mail.QueuedEmailBackend",
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Đơn hàng AG-0001 đã giao",
        body="Cảm ơn quý khách.",
        from_email="OCOP An Giang <no-reply@ocop-angiang.vn>",
        to=["khach@example.vn"],
        bcc=["luu@example.vn"],
        reply_to=["hotro@example.vn"],
        headers={"X-Order": "AG-0001"},
    )
    message.attach_alternative("<p>Cảm ơn quý khách.</p>", "text/html")
    message.attach("hoa-don.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")
    message.attach("ghi-chu.txt", "Ghi chú tiếng Việt", "text/plain")
    return message


def test_a_queued_email_arrives_as_it_was_written():
    with override_settings(**QUEUED):
        assert _message().send() == 1
    [sent] = mail.outbox
    assert sent.subject == "Đơn hàng AG-0001 đã giao" and sent.body == "Cảm ơn quý khách."
    assert (sent.to, sent.bcc, sent.reply_to) == (
        ["khach@example.vn"],
        ["luu@example.vn"],
        ["hotro@example.vn"],
    )
    assert sent.extra_headers == {"X-Order": "AG-0001"}
    assert sent.alternatives[0][:2] == ("<p>Cảm ơn quý khách.</p>", "text/html")
    assert [(a[0], a[1], a[2]) for a in sent.attachments] == [
        ("hoa-don.pdf", b"%PDF-1.7 \x00\xff", "application/pdf"),
        ("ghi-chu.txt", "Ghi chú tiếng Việt", "text/plain"),
    ]


def test_an_email_task_delivered_twice_sends_once(settings):
    settings.EMAIL_DELIVERY_BACKEND = QUEUED["EMAIL_DELIVERY_BACKEND"]
    data = queued_mail.to_data(_message())
    assert outcome(queued_mail.deliver_email.delay(data, "key-1")) == 1
    assert outcome(queued_mail.deliver_email.delay(data, "key-1")) == 0
    assert outcome(queued_mail.deliver_email.delay(data, "key-2")) == 1
    assert len(mail.outbox) == 2


def test_an_sms_task_delivered_twice_texts_once(sms_outbox):
    assert outcome(sms.deliver_sms.delay("+84912345678", "Mã: 123456", "k1")) == 1
    assert outcome(sms.deliver_sms.delay("+84912345678", "Mã: 123456", "k1")) == 0
    assert [m.text for m in sms_outbox] == ["Mã: 123456"]


def test_send_sms_queues_each_message_under_its_own_key(sms_outbox):
    sms.send_sms("0912 345 678", "Một")
    sms.send_sms("0912 345 678", "Một")  # the same text twice on purpose: two messages
    assert [(m.phone, m.text) for m in sms_outbox] == [("+84912345678", "Một")] * 2


def test_a_bad_number_is_refused_before_anything_is_queued(sms_outbox):
    from marketplace.errors import DomainError

    with pytest.raises(DomainError):
        sms.send_sms("12345", "Không gửi")
    assert sms_outbox == []
