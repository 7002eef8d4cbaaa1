"""The current request, for the audit log (a context variable, so threads and async tasks stay apart)."""

from __future__ import annotations

from contextvars import ContextVar, Token

from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("jaminanku_request", default=None)


def set_request(request: HttpRequest) -> Token[HttpRequest | None]:
    return _request.set(request)


def reset(token: Token[HttpRequest | None]) -> None:
    _request.reset(token)


def current_request() -> HttpRequest | None:
    return _request.get()
