"""One-time codes exactly as RULES.md decides: 6 digits from a CSPRNG, stored hashed, valid 10 minutes, dead
after 5 wrong tries, a new one to the same destination after 60 s at the earliest and at most 5 per hour.

The resend wait and the hourly budget are counted per purpose: a code that anyone may set off (a sign-up, a
forgotten password) spends nothing of what the owner needs to log in (ASVS 6.1.1), and a wait in one flow cannot
tell a stranger that another flow, say a password reset, just sent a code to an address (ASVS 6.3.8).

Every limit is counted from the `OneTimeCode` rows, so all app processes see the same counts. Issuing takes a
per-destination lock (an advisory lock on PostgreSQL; SQLite already serialises writers) so two requests at the
same moment cannot both slip under the hourly limit.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.models import OneTimeCode
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.core.times import moment_text
from jaminanku.notify.services import queue_email, queue_sms

CODE_DIGITS = 6
VALID_FOR = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
PER_HOUR = 5

Purpose = OneTimeCode.Purpose
# (subject, body) for a code; built by the caller so each purpose says what the code is for
MessageBuilder = Callable[[str], tuple[str, str]]


def _digest(salt: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _hash(code: str) -> str:
    salt = secrets.token_hex(8)
    return f"{salt}${_digest(salt, code)}"


def _matches(code_hash: str, code: str) -> bool:
    salt, _sep, digest = code_hash.partition("$")
    return hmac.compare_digest(digest, _digest(salt, code))


def _lock_destination(destination: str) -> None:
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(destination.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


@dataclass(frozen=True)
class Hold:
    """Why no new code of a purpose may go to a destination yet, and from when one may."""

    reason: str  # code_resend_too_soon (60 s after the last) or code_hourly_limit (5 in the last hour)
    until: datetime

    def retry_after(self, now: datetime) -> int:
        return _seconds(self.until - now)


class CodeWithheld(RateLimited):
    """No code was sent: `hold` says why and until when. The API answers it as 429 with `retry_after`."""

    def __init__(self, hold: Hold, *, now: datetime):
        wait = hold.retry_after(now)
        if hold.reason == "code_resend_too_soon":
            message = _("Tunggu %(seconds)s detik sebelum meminta kode baru.") % {"seconds": wait}
        else:
            message = _(
                "Sudah %(count)s kode dikirim ke tujuan ini dalam satu jam. Kode baru bisa diminta lagi mulai %(time)s."
            ) % {"count": PER_HOUR, "time": moment_text(hold.until, now=now)}
        super().__init__(message, code=hold.reason, retry_after=wait)
        self.hold = hold


def hold_on(*, purpose: str, destination: str, now: datetime) -> Hold | None:
    """Whether a new code of `purpose` to `destination` must wait (None: it may go now). When both limits apply,
    the one that ends later is the one that counts."""
    recent = list(
        OneTimeCode.objects.filter(destination=destination, purpose=purpose, created_at__gt=now - timedelta(hours=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    holds = []
    if len(recent) >= PER_HOUR:
        holds.append(Hold("code_hourly_limit", recent[PER_HOUR - 1] + timedelta(hours=1)))
    if recent and recent[0] > now - RESEND_AFTER:
        holds.append(Hold("code_resend_too_soon", recent[0] + RESEND_AFTER))
    return max(holds, key=lambda hold: hold.until) if holds else None


def issue_code(
    *, purpose: str, scope: str, channel: str, destination: str, message: MessageBuilder, now: datetime
) -> OneTimeCode:
    """Makes a new code and queues it to `destination` in the caller's transaction. A newer code replaces any
    earlier one of the same purpose and scope. Raises CodeWithheld when the destination had one of the same
    purpose too recently, or too many within the hour."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_code must run inside the caller's transaction")
    _lock_destination(destination)
    hold = hold_on(purpose=purpose, destination=destination, now=now)
    if hold is not None:
        raise CodeWithheld(hold, now=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    otc = OneTimeCode.objects.create(
        purpose=purpose,
        scope=scope,
        destination=destination,
        code_hash=_hash(code),
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    subject, body = message(code)
    if channel == "sms":
        queue_sms(to=destination, body=body)
    else:
        queue_email(to=destination, subject=subject, body=body)
    return otc


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    DEAD = "dead"
    MISSING = "missing"


@dataclass
class CodeCheck:
    outcome: Outcome
    code: OneTimeCode | None = None
    tries_left: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def error(self) -> DomainError:
        """The member-facing error for a failed check."""
        if self.outcome is Outcome.WRONG and self.tries_left:
            return DomainError(
                _("Kode verifikasi salah. Sisa percobaan: %(left)s.") % {"left": self.tries_left},
                code="code_invalid",
                field="code",
                tries_left=self.tries_left,
            )
        if self.outcome in (Outcome.WRONG, Outcome.DEAD):
            return DomainError(
                _("Kode ini sudah tidak berlaku karena terlalu banyak percobaan salah. Minta kode baru."),
                code="code_dead",
                field="code",
            )
        if self.outcome is Outcome.EXPIRED:
            return DomainError(
                _("Kode verifikasi sudah kedaluwarsa. Minta kode baru."), code="code_expired", field="code"
            )
        if self.outcome is Outcome.USED:
            return DomainError(_("Kode ini sudah dipakai. Minta kode baru bila perlu."), code="code_used", field="code")
        return DomainError(_("Belum ada kode yang dikirim. Minta kode baru."), code="code_missing", field="code")


def check_code(*, purpose: str, scope: str, code: str, now: datetime) -> CodeCheck:
    """Checks `code` against the latest code of (purpose, scope) and uses it up when right. Wrong tries are
    counted in the row, so the caller must let this transaction commit even when the check fails (raise the
    error after the `atomic` block, not inside it)."""
    otc = (
        OneTimeCode.objects.select_for_update()
        .filter(purpose=purpose, scope=scope)
        .order_by("-created_at", "-pk")
        .first()
    )
    if otc is None:
        return CodeCheck(Outcome.MISSING)
    if otc.used_at is not None:
        return CodeCheck(Outcome.USED, otc)
    if otc.failed_attempts >= MAX_WRONG_TRIES:
        return CodeCheck(Outcome.DEAD, otc)
    if otc.expires_at <= now:
        return CodeCheck(Outcome.EXPIRED, otc)
    candidate = (code or "").strip()
    if not (len(candidate) == CODE_DIGITS and candidate.isdigit() and _matches(otc.code_hash, candidate)):
        otc.failed_attempts += 1
        otc.save(update_fields=["failed_attempts"])
        return CodeCheck(Outcome.WRONG, otc, tries_left=MAX_WRONG_TRIES - otc.failed_attempts)
    otc.used_at = now
    otc.save(update_fields=["used_at"])
    return CodeCheck(Outcome.OK, otc)


def usable_code(*, purpose: str, scope: str, now: datetime) -> OneTimeCode | None:
    """The latest code of (purpose, scope) while it can still be used: not used, not expired, not dead."""
    latest = OneTimeCode.objects.filter(purpose=purpose, scope=scope).order_by("-created_at", "-pk").first()
    if latest is None or latest.used_at is not None or latest.expires_at <= now:
        return None
    return latest if latest.failed_attempts < MAX_WRONG_TRIES else None
