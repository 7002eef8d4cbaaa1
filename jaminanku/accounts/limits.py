"""Rate limits on failures counted in Django's cache (the database cache or Redis: shared by every app process):
identity mismatches during sign-up, per flow and per client address, and wrong current passwords per account.

Why not django-ratelimit: it limits *requests* to a view and needs the request object, while here only
*failed* identity checks count, and they are counted inside a service that the web views, the API and the tests
call alike. A fixed window in the cache is all that is needed. `cache.incr` is atomic on Redis; on the database
cache two simultaneous failures may count as one, which only loosens the limit by one try.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class FailureLimit:
    name: str
    limit: int
    window_seconds: int

    def _key(self, key: str) -> str:
        # hashed: the key may be whatever a client sent (a flow id in a URL), and a cache key must stay short and
        # plain (the database cache's column holds 255 characters)
        return f"failures:{self.name}:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"

    def exceeded(self, key: str | None) -> bool:
        return bool(key) and int(cache.get(self._key(key or ""), 0)) >= self.limit

    def record(self, key: str | None) -> None:
        if not key:
            return
        cache_key = self._key(key)
        # add() starts the window only if none is running, so the window is fixed from the first failure
        cache.add(cache_key, 0, timeout=self.window_seconds)
        try:
            cache.incr(cache_key)
        except ValueError:  # the window ran out between add() and incr()
            cache.set(cache_key, 1, timeout=self.window_seconds)


def identity_per_flow() -> FailureLimit:
    return FailureLimit("identity-flow", int(getattr(settings, "ACCOUNTS_IDENTITY_FAILURES_PER_FLOW", 5)), 3600)


def identity_per_address() -> FailureLimit:
    return FailureLimit("identity-ip", int(getattr(settings, "ACCOUNTS_IDENTITY_FAILURES_PER_IP", 20)), 3600)


def current_password_per_user() -> FailureLimit:
    """Wrong current passwords when changing email, phone or password: 5 per account in 15 minutes, like the
    login lockout (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME)."""
    return FailureLimit("current-password", int(getattr(settings, "AXES_FAILURE_LIMIT", 5)), 15 * 60)
