"""Text messages (SMS) through a pluggable backend, the way Django sends email.

`SMS_BACKEND` names the backend class: the console (default, prints each message, like the
console email backend), or the in-memory one for tests, which appends to `outbox` the way
Django's locmem email backend fills `mail.outbox`. A real gateway is a class with
`send_messages(messages) -> int`; it makes a network call, so call `send_sms` after the
transaction that decided to send has committed (never while holding row locks).

`send_sms` hands the message to the task queue (`deliver_sms`): on a worker when `REDIS_URL`
names a broker, at once otherwise. Each message carries a key made when it was queued; the task
marks it sent in the shared cache after the gateway took it, so a second delivery of the task
(a worker that died after sending) does not text the same person twice.
"""

import sys
import threading
import unicodedata
import uuid
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from config.celery import enqueue
from marketplace.addresses.phones import normalize_phone

DEFAULT_BACKEND = "marketplace.notify.sms.ConsoleBackend"


@dataclass(frozen=True)
class Sms:
    phone: str  # +84…, normalised
    text: str


# Filled by LocmemBackend; tests read it like django.core.mail.outbox.
outbox: list[Sms] = []


class BaseBackend:
    def send_messages(self, messages: list[Sms]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to standard output (development and `make run`)."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[Sms]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.phone}:\n{message.text}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)


class LocmemBackend(BaseBackend):
    """Keeps messages in `marketplace.notify.sms.outbox` (tests)."""

    def send_messages(self, messages: list[Sms]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend(path: str | None = None) -> BaseBackend:
    return import_string(path or getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


SENT_KEY_SECONDS = 7 * 24 * 3600  # longer than any retry or re-delivery of the task


def send_sms(phone: str, text: str) -> int:
    """Send `text` to a Vietnamese phone number (any usual spelling); returns messages queued.

    Raises DomainError INVALID_PHONE for a number that is not Vietnamese (before queueing).
    """
    # NFC but line breaks kept: a message may have several lines.
    message = Sms(phone=normalize_phone(phone), text=unicodedata.normalize("NFC", text).strip())
    enqueue(deliver_sms, message.phone, message.text, uuid.uuid4().hex)
    return 1


@shared_task(name="notify.deliver_sms", max_retries=5, default_retry_delay=30)
def deliver_sms(phone: str, text: str, key: str) -> int:
    """Give one message to the gateway, unless a delivery with this key already did."""
    sent_key = f"notify:sms-sent:{key}"
    if cache.get(sent_key):
        return 0
    sent = get_backend().send_messages([Sms(phone=phone, text=text)])
    cache.set(sent_key, 1, SENT_KEY_SECONDS)
    return sent
