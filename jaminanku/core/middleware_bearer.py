"""A short middleware chain for the mobile API's bearer-token reads (issue 27).

A GET or HEAD under /api/ that carries `Authorization: Bearer …` is a mobile client's read: its login is the token,
never a cookie. The site-wide chain (settings.MIDDLEWARE) does work such a call cannot use — loading the session,
the CSRF token, messages, the session's lifetime, the login lockouts of axes, the page's Content-Security-Policy —
together about a seventh of the member's hot balance read. BearerReadMiddleware, placed right after
SecurityMiddleware, sends such a call down BEARER_READ_MIDDLEWARE instead, which keeps what shapes its answer: the
language, CommonMiddleware's Content-Length, `Cache-Control: private, no-store`, X-Frame-Options and the audit
actor. Whatever sits before it in settings (the 503 of an unreachable database, the replica routing, the security
headers) wraps both chains.

No cookie logs such a call in: the session is not loaded (request.session is a new empty one that is never saved)
and request.user is anonymous until the token authenticates, so a bearer call with a stolen or stale session cookie
is never the session's user, and with nothing a cookie can do there is no CSRF to check. Writes (POST, PUT, PATCH,
DELETE) keep the whole chain, whatever header they carry: their lockouts, audit and CSRF stay as they are.

URL resolution is remembered per path for routes without parameters only (a fixed set, the API's own addresses):
walking ninja's many routes was 8 % of the read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import import_module
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch, get_resolver
from django.utils.module_loading import import_string

READ_METHODS = frozenset({"GET", "HEAD"})
API_PREFIX = "/api/"

BEARER_READ_MIDDLEWARE = [
    "jaminanku.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jaminanku.core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jaminanku.audit.middleware.AuditActorMiddleware",
]


def is_bearer_read(request: HttpRequest) -> bool:
    return (
        request.method in READ_METHODS
        and request.path_info.startswith(API_PREFIX)
        and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


@lru_cache(maxsize=256)
def _resolve_fixed(urlconf: str, path: str) -> ResolverMatch | None:
    match = get_resolver(urlconf).resolve(path)
    return None if match.args or match.kwargs else match


class _BearerReadHandler(BaseHandler):
    """Django's request handling (URL, view, exceptions) behind BEARER_READ_MIDDLEWARE instead of MIDDLEWARE."""

    def __init__(self, middleware: list[str]) -> None:
        super().__init__()
        self.middleware = middleware
        self.load_middleware()

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware for a list of sync middleware of our own choosing
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(self.middleware):
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if not hasattr(request, "urlconf"):
            match = _resolve_fixed(settings.ROOT_URLCONF, request.path_info)
            if match is not None:
                request.resolver_match = match
                return match
        return super().resolve_request(request)


class BearerReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.bearer_read = _BearerReadHandler(BEARER_READ_MIDDLEWARE)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_bearer_read(request):
            return self.get_response(request)
        request.session = self.session_store()  # empty, never saved: the cookie's session is not this call's
        request.user = AnonymousUser()  # the token's member once it authenticates (accounts.access)
        # the chain itself: the outer handler already sets the URLconf, logs an error answer and closes the request
        return cast(HttpResponse, self.bearer_read._middleware_chain(request))
