"""Domain errors: services raise these with a stable code; the web maps them to form errors and the API to
JSON in one place each."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain said no. `code` is stable for machines, `message` is translated for people."""

    code: str = "domain_error"
    status: int = 400

    def __init__(self, message: Any = "", *, code: str | None = None, field: str | None = None, **extra: Any):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"
    status = 404


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
