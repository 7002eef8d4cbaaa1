"""The delivery worker: claims due messages, sends them, and retries failures with exponential backoff.

A message is claimed in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite takes the
write lock at BEGIN, which serialises claims) and marked `sending` with a lease, then sent outside any
transaction so a slow SMTP server holds no locks. Just before sending each message the worker renews that
message's lease, and skips it if its claim was lost (the batch's lease ran out and another worker took it), so
two workers never send the same message. A worker killed mid-batch leaves its unsent rows `sending`; another
worker takes them when the lease runs out. Only a worker that dies between the server's acceptance and the
outbox update can cause a repeat, and that repeat carries the same Message-ID (email) or Idempotency-Key (SMS),
so the receiving side can drop it.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jaminanku.notify.gateways import SmsBackend, get_sms_backend
from jaminanku.notify.models import OutboundMessage

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 10))


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, capped at an hour."""
    base = float(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "NOTIFY_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFY_CLAIM_LEASE_SECONDS", 300)))


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def _claim(now: datetime, limit: int, only_pk: int | None = None) -> list[OutboundMessage]:
    with transaction.atomic():
        due = OutboundMessage.objects.filter(
            status__in=[Status.QUEUED, Status.SENDING], next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if only_pk is not None:
            due = due.filter(pk=only_pk)
        rows = list(due.select_for_update(skip_locked=True)[:limit])
        if rows:
            lease_end = now + _lease()
            OutboundMessage.objects.filter(pk__in=[m.pk for m in rows]).update(
                status=Status.SENDING, next_attempt_at=lease_end
            )
            for message in rows:
                message.status, message.next_attempt_at = Status.SENDING, lease_end
    return rows


def _ours(message: OutboundMessage) -> Any:
    """The row as long as this worker's claim holds: `sending`, with the lease end it set (a later claim by
    another worker always sets a later one)."""
    return OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING, next_attempt_at=message.next_attempt_at)


def _renew_claim(message: OutboundMessage) -> bool:
    """Starts a fresh lease on one message just before sending it. False if the batch's lease ran out while the
    messages before it were sent (a slow server) and another worker has claimed it since: that worker sends it."""
    lease_end = timezone.now() + _lease()
    if not _ours(message).update(next_attempt_at=lease_end):
        return False
    message.next_attempt_at = lease_end
    return True


def message_id(message: OutboundMessage) -> str:
    """The same Message-ID on every attempt at one outbox row, so a mailbox can drop a repeat."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "jaminanku.local"
    return f"<outbound-{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


class _Senders:
    """One SMTP connection and one SMS gateway per batch, opened when first needed."""

    def __init__(self) -> None:
        self._mail: Any = None
        self._sms: SmsBackend | None = None

    def send(self, message: OutboundMessage) -> None:
        if message.channel == OutboundMessage.Channel.SMS:
            if self._sms is None:
                self._sms = get_sms_backend()
            self._sms.send(to=message.to, body=message.body, idempotency_key=f"outbound-{message.pk}")
            return
        if self._mail is None:
            connection = get_connection(fail_silently=False)
            connection.open()
            self._mail = connection
        email = EmailMessage(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            headers={"Message-ID": message_id(message)},
        )
        try:
            self._mail.send_messages([email])
        except Exception:
            self.close()  # the server may have dropped us; the next message reconnects
            raise

    def close(self) -> None:
        if self._mail is not None:
            # closing a connection the server already dropped may fail too; there is nothing left to do
            with contextlib.suppress(Exception):
                self._mail.close()
            self._mail = None


def _forget_body() -> dict[str, str]:
    """Bodies hold one-time codes, which are stored only hashed elsewhere; once a message is sent its
    body is blanked, except in development, where /dev/outbox/ shows it."""
    keep = getattr(settings, "NOTIFY_KEEP_SENT_BODIES", settings.DEBUG)
    return {} if keep else {"body": ""}


def _record_success(message: OutboundMessage, now: datetime) -> None:
    _ours(message).update(status=Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", **_forget_body())


def _record_failure(message: OutboundMessage, now: datetime, error: Exception) -> str:
    attempts = message.attempts + 1
    gave_up = attempts >= max_attempts()
    # A message given up keeps its body: it was never delivered, and the admin's "retry now" must resend the
    # real text, not an empty one.
    _ours(message).update(
        status=Status.FAILED if gave_up else Status.QUEUED,
        attempts=attempts,
        next_attempt_at=now + retry_delay(attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    if gave_up:
        logger.error(
            "Delivery of %s #%s to %s given up after %s attempts: %s",
            message.channel,
            message.pk,
            message.to,
            attempts,
            error,
        )
    else:
        logger.warning(
            "Delivery of %s #%s to %s failed (attempt %s): %s", message.channel, message.pk, message.to, attempts, error
        )
    return Status.FAILED if gave_up else Status.QUEUED


def _deliver(rows: list[OutboundMessage], now: datetime, report: DeliveryReport) -> None:
    senders = _Senders()
    try:
        for message in rows:
            if not _renew_claim(message):
                continue
            try:
                senders.send(message)
            except Exception as exc:  # noqa: BLE001 - any failure of a gateway means "try again later"
                if _record_failure(message, now, exc) == Status.FAILED:
                    report.failed += 1
                else:
                    report.retrying += 1
            else:
                _record_success(message, timezone.now())
                report.sent += 1
    finally:
        senders.close()


def deliver_due_messages(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Sends up to `limit` messages that are due; returns what happened. Safe to run in several processes."""
    now = now or timezone.now()
    report = DeliveryReport()
    _deliver(_claim(now, limit), now, report)
    return report


def deliver_message(pk: int) -> DeliveryReport:
    """Sends one message now if it is still due (used right after commit in development)."""
    now = timezone.now()
    report = DeliveryReport()
    _deliver(_claim(now, 1, only_pk=pk), now, report)
    return report
