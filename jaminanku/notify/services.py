"""Queueing messages. Callers write the message inside their own transaction, so it exists exactly when the
thing it announces does; the worker (`delivery.py`) sends it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from jaminanku.notify.models import OutboundMessage

logger = logging.getLogger(__name__)


def _deliver_on_commit() -> bool:
    # In development (`make run`) nobody runs the worker, so deliver right after the commit as well; the
    # worker's claim makes sure a message is still sent only once.
    return bool(getattr(settings, "NOTIFY_DELIVER_ON_COMMIT", settings.DEBUG))


def _queue(channel: str, *, to: str, subject: str, body: str) -> OutboundMessage:
    message = OutboundMessage.objects.create(channel=channel, to=to, subject=subject[:200], body=body)
    if settings.DEBUG:
        # `make run` shows codes in the console too, whatever the email backend does with them
        logger.info("Outbox %s to %s: %s\n%s", channel, to, subject, body)
    if _deliver_on_commit():
        from jaminanku.notify.delivery import deliver_message

        transaction.on_commit(lambda: deliver_message(message.pk), robust=True)
    return message


def queue_email(*, to: str, subject: str, body: str) -> OutboundMessage:
    return _queue(OutboundMessage.Channel.EMAIL, to=to, subject=subject, body=body)


def queue_sms(*, to: str, body: str) -> OutboundMessage:
    return _queue(OutboundMessage.Channel.SMS, to=to, subject="", body=body)
