import pytest
from django.test import override_settings

from marketplace.errors import DomainError
from marketplace.notify import sms


def test_locmem_backend_collects_messages_with_normalised_phone(sms_outbox):
    assert sms.send_sms("0912 345 678", "Mã xác nhận: 123456\nHết hạn sau 10 phút.") == 1
    assert sms_outbox == [
        sms.Sms(phone="+84912345678", text="Mã xác nhận: 123456\nHết hạn sau 10 phút.")
    ]


def test_text_is_nfc_and_keeps_line_breaks(sms_outbox):
    decomposed = "Ma\u0300 so\u0302\u0301"  # "Mà số" written with combining marks
    sms.send_sms("+84912345678", f"{decomposed}\ndòng hai")
    assert sms_outbox[0].text == "Mà số\ndòng hai"


def test_invalid_phone_is_refused_and_nothing_sent(sms_outbox):
    with pytest.raises(DomainError) as exc:
        sms.send_sms("12345", "x")
    assert exc.value.code == "INVALID_PHONE"
    assert sms_outbox == []


def test_console_backend_is_the_default_and_prints(capsys):
    from config import settings as project_settings

    assert (
        project_settings.SMS_BACKEND
        == sms.DEFAULT_BACKEND
        == "marketplace.notify.sms.ConsoleBackend"
    )
    with override_settings(SMS_BACKEND=sms.DEFAULT_BACKEND):
        sms.send_sms("0912345678", "Xin chào")
    assert "SMS to +84912345678:\nXin chào\n" in capsys.readouterr().out


def test_backend_is_pluggable(sms_outbox):
    class Recorder(sms.BaseBackend):
        sent = []

        def send_messages(self, messages):
            Recorder.sent.extend(messages)
            return len(messages)

    with override_settings(SMS_BACKEND=f"{__name__}.Recorder"):
        globals()["Recorder"] = Recorder
        sms.send_sms("0912345678", "hi")
    assert [m.phone for m in Recorder.sent] == ["+84912345678"]
    assert sms_outbox == []
