"""Email through the task queue: with a broker (`REDIS_URL`), settings name this backend as
EMAIL_BACKEND and the operator's backend as EMAIL_DELIVERY_BACKEND, which the task then uses.

A message is queued as plain JSON (subject, body, addresses, headers, HTML alternatives,
attachments in base64) under a key made when it was queued; `deliver_email` marks the key sent
in the shared cache after the delivery backend took the message, so a re-delivered task does
not send it twice.
"""

import base64
import uuid

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from config.celery import enqueue

SENT_KEY_SECONDS = 7 * 24 * 3600


def _attachment(attachment) -> dict:
    filename, content, mimetype = attachment
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "mimetype": mimetype,
    }


def to_data(message) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        "attachments": [_attachment(a) for a in message.attachments],
    }


def from_data(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(a) for a in data["alternatives"]],
    )
    for a in data["attachments"]:
        message.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    return message


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            enqueue(deliver_email, to_data(message), uuid.uuid4().hex)
        return len(email_messages)


@shared_task(name="notify.deliver_email", max_retries=5, default_retry_delay=60)
def deliver_email(data: dict, key: str) -> int:
    sent_key = f"notify:mail-sent:{key}"
    if cache.get(sent_key):
        return 0
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    sent = connection.send_messages([from_data(data)])
    cache.set(sent_key, 1, SENT_KEY_SECONDS)
    return sent
