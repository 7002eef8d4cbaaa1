"""Rate limit for identity mismatches during sign-up, per flow and per client address, counted in Django's
cache (the database cache or Redis: shared by every app process).

Why not django-ratelimit: it limits *requests* to a view and needs the request object, while here only
*failed* identity checks count, and they are counted inside a service that the web views, the API and the tests
call alike. A fixed window in the cache is all that is needed. `cache.incr` is atomic on Redis; on the database
cache two simultaneous failures may count as one, which only loosens the limit by one try.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class FailureLimit:
    name: str
    limit: int
    window_seconds: int

    def _key(self, key: str) -> str:
        return f"failures:{self.name}:{key}"

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
