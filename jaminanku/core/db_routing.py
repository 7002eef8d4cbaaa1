"""Read replicas: members' reads go to a streaming standby, every write and everything else to the primary.

Active only when DATABASE_REPLICA_URL is set (settings.py adds the "replica" alias, this router and
jaminanku.core.middleware_replica). A read goes to the standby only when all of these hold, else to the primary:

- it happens inside a request the middleware opened a scope for: a GET/HEAD/OPTIONS outside the staff and admin
  paths (staff act on what they see, and are few); management commands, jobs and tests without a request read the
  primary;
- nothing in this request wrote yet (a write pins the rest of the request to the primary);
- the primary's connection is not inside a transaction (atomic): reads there decide writes;
- the model is not security state (sessions, tokens, login counts, the cache table): a revoked token or a
  logged-out session must not live on in a standby that lags;
- the member did not write in the last READ_YOUR_WRITES_SECONDS (read-your-writes, remembered in the cache keyed
  by user id, see remember_writer);
- the standby's lag, measured at most every REPLICA_LAG_CHECK_SECONDS per process, is below
  REPLICA_MAX_LAG_SECONDS; a standby that cannot be asked counts as lagging without bound.
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest

PRIMARY = "default"
REPLICA = "replica"

# Security state and bookkeeping: always read from and written to the primary, and writing it (a session's
# last-activity time, a token's last use, an audit row) is not the member changing something they will read back.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "axes", "django_cache", "accounts", "admin", "contenttypes"})
UNPINNED_WRITE_APPS = PRIMARY_ONLY_APPS | {"audit"}

_LAG_QUERY = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@dataclass
class RequestScope:
    """What the router knows about the request being served (one per request, in a context variable)."""

    request: HttpRequest
    eligible: bool
    pinned: bool = False
    wrote: bool = False
    replica_reads: int = 0
    _recent_writers: dict[int, bool] = field(default_factory=dict)

    def member_wrote_recently(self) -> bool:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if user.pk not in self._recent_writers:
            self._recent_writers[user.pk] = bool(cache.get(_writer_key(user.pk)))
        return self._recent_writers[user.pk]


_scope: ContextVar[RequestScope | None] = ContextVar("jaminanku_replica_scope", default=None)


def open_scope(request: HttpRequest, *, eligible: bool) -> tuple[RequestScope, Any]:
    scope = RequestScope(request=request, eligible=eligible)
    return scope, _scope.set(scope)


def close_scope(token: Any) -> None:
    _scope.reset(token)


def _writer_key(user_id: int) -> str:
    return f"replica:wrote:{user_id}"


def remember_writer(user_id: int) -> None:
    """The member's reads go to the primary for READ_YOUR_WRITES_SECONDS from now.

    In the cache rather than a signed cookie: API clients send a bearer token and may keep no cookies, a member
    may write from the phone and read on the web, and every app process shares the cache (Redis in production)."""
    cache.set(_writer_key(user_id), True, timeout=settings.READ_YOUR_WRITES_SECONDS)


class _LagProbe:
    """The standby's replay lag in seconds, asked at most every REPLICA_LAG_CHECK_SECONDS per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._measured_at = float("-inf")
        self._lag = float("inf")

    def measure(self) -> float:
        """Asks the standby now. Inf when it cannot answer (down, restarting, refusing connections)."""
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(_LAG_QUERY)
                row = cursor.fetchone()
            lag = float(row[0]) if row else float("inf")
        except DatabaseError:
            lag = float("inf")
        with self._lock:
            self._lag, self._measured_at = lag, time.monotonic()
        return lag

    def current(self) -> float:
        if time.monotonic() - self._measured_at >= settings.REPLICA_LAG_CHECK_SECONDS:
            return self.measure()
        return self._lag

    def forget(self) -> None:
        with self._lock:
            self._measured_at = float("-inf")


lag_probe = _LagProbe()


def replica_lag_seconds() -> float:
    """The standby's lag as just measured (for monitoring: `manage.py replica_status`)."""
    return lag_probe.measure()


def primary_status() -> list[dict[str, Any]]:
    """The primary's view of its standbys (pg_stat_replication), one dict per standby."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(
            "SELECT application_name, state, sync_state, EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication"
        )
        return [
            {"name": name, "state": state, "sync_state": sync, "replay_lag": float(lag) if lag is not None else 0.0}
            for name, state, sync, lag in cursor.fetchall()
        ]


class ReplicaRouter:
    """DATABASE_ROUTERS entry: see the module docstring for when a read goes to the standby."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is None or not scope.eligible or scope.pinned:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if scope.member_wrote_recently() or lag_probe.current() > settings.REPLICA_MAX_LAG_SECONDS:
            scope.pinned = True  # decided for the rest of the request: one request reads one database
            return PRIMARY
        scope.replica_reads += 1
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None and model._meta.app_label not in UNPINNED_WRITE_APPS:
            scope.wrote = scope.pinned = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY  # the standby replays the primary's migrations
