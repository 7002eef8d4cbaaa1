"""Middleware for the database behind the app: its replica and its failures (settings.py).

ReplicaRoutingMiddleware opens the request's routing scope for jaminanku.core.db_routing and remembers a member who
wrote (read-your-writes). DatabaseUnavailableMiddleware answers 503 with Retry-After instead of a 500 when the
database could not be reached: during a failover the primary is gone for a few seconds and the client should try
again, which a 500 ("our bug") does not say."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from jaminanku.core import db_routing

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = 5


def _reads_may_use_replica(request: HttpRequest) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.REPLICA_PRIMARY_PATHS)


class ReplicaRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope, token = db_routing.open_scope(request, eligible=_reads_may_use_replica(request))
        try:
            response = self.get_response(request)
        finally:
            db_routing.close_scope(token)
        # a POST that failed half-way may still have written; the user is read after the view, so a login or an
        # API token's member counts too
        user = getattr(request, "user", None)
        if (scope.wrote or request.method not in SAFE_METHODS) and user is not None and user.is_authenticated:
            db_routing.remember_writer(user.pk)
        return response


def _note_database_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OperationalError | InterfaceError):
        request.database_unavailable = True  # type: ignore[attr-defined]


class DatabaseUnavailableMiddleware:
    """Outermost: Django turns an exception anywhere inside (a middleware loading the session, a view) into a 500
    response before it reaches here, so the got_request_exception signal marks the request and this turns that
    500 into a 503 the client can retry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        got_request_exception.connect(_note_database_failure, dispatch_uid="jaminanku_database_unavailable")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 500 or not getattr(request, "database_unavailable", False):
            return response
        message = _("Layanan sedang berpindah server. Silakan coba lagi dalam beberapa detik.")
        if request.path.startswith("/api/"):
            unavailable: HttpResponse = JsonResponse({"code": "database_unavailable", "message": message}, status=503)
        else:
            unavailable = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
        unavailable["Cache-Control"] = "no-store"
        return unavailable
