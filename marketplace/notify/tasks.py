"""The notify tasks, for Celery's autodiscovery: they live beside the code that queues them."""

from marketplace.notify.mail import deliver_email
from marketplace.notify.sms import deliver_sms

__all__ = ["deliver_email", "deliver_sms"]
