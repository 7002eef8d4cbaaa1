"""Limits on failures: identity mismatches during sign-up, per flow and per client address, and wrong current
passwords per account, each a fixed window counted in a database row (`FailureCount`) that every app process
shares.

The limit and the check it guards are one step: `FailureLimit.counter()` locks the key's row inside the caller's
transaction, the caller refuses when the limit is reached, checks (the registry, the password hash), counts a
failure on the locked row, and commits. Twenty guesses sent at the same moment queue on the row, so no more than
the limit are ever checked (ASVS 6.3.1). A count in the cache cannot give that: the check would sit between a
read and a write of the count, and the database cache's `incr` is itself a read and a write.

Why not django-ratelimit: it limits *requests* to a view, while here only *failed* checks count, inside services
that the web views, the API and the tests call alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jaminanku.accounts.models import FailureCount


@dataclass
class Counter:
    """One key's failures, its row locked until the caller's transaction ends. A counter without a key (no client
    address known) limits nothing."""

    limit: int
    window: timedelta
    now: datetime
    row: FailureCount | None

    @property
    def reached(self) -> bool:
        row = self.row
        return row is not None and row.window_ends_at > self.now and row.failures >= self.limit

    def count_failure(self) -> None:
        row = self.row
        if row is None:
            return
        if row.window_ends_at <= self.now:  # the window starts with its first failure
            row.failures, row.window_ends_at = 0, self.now + self.window
        row.failures += 1
        row.save(update_fields=["failures", "window_ends_at"])


@dataclass(frozen=True)
class FailureLimit:
    name: str
    limit: int
    window_seconds: int

    def _key(self, key: str) -> str:
        # hashed: the key may be whatever a client sent (a flow id in a URL), and a primary key must stay short
        return f"{self.name}:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"

    def counter(self, key: str | None, *, now: datetime | None = None) -> Counter:
        """The key's counter with its row locked (created on first use). Call it inside the transaction that
        makes the check and counts its failure, and raise the failure only after that transaction committed."""
        now = now or timezone.now()
        window = timedelta(seconds=self.window_seconds)
        if not key:
            return Counter(self.limit, window, now, None)
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("FailureLimit.counter() locks a row: call it inside transaction.atomic()")
        # a new row starts with its window already over; it begins at the first failure
        row, _created = FailureCount.objects.select_for_update().get_or_create(
            key=self._key(key), defaults={"window_ends_at": now}
        )
        return Counter(self.limit, window, now, row)

    def lift(self, key: str) -> None:
        """Forgets the key's failures, as if its window had ended (a benchmark undoing the limit it reached)."""
        FailureCount.objects.filter(key=self._key(key)).delete()


def purge_ended_windows(*, now: datetime | None = None) -> int:
    """Deletes the counts whose window has ended (they limit nothing any more)."""
    return FailureCount.objects.filter(window_ends_at__lt=now or timezone.now()).delete()[0]


def identity_per_flow() -> FailureLimit:
    return FailureLimit("identity-flow", int(getattr(settings, "ACCOUNTS_IDENTITY_FAILURES_PER_FLOW", 5)), 3600)


def identity_per_address() -> FailureLimit:
    return FailureLimit("identity-ip", int(getattr(settings, "ACCOUNTS_IDENTITY_FAILURES_PER_IP", 20)), 3600)


def current_password_per_user() -> FailureLimit:
    """Wrong current passwords when changing email, phone or password: 5 per account in 15 minutes, like the
    login lockout (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME)."""
    return FailureLimit("current-password", int(getattr(settings, "AXES_FAILURE_LIMIT", 5)), 15 * 60)
