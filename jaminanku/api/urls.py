"""The JSON API for mobile clients: the one NinjaAPI object, its error answers, and each app's router (the app's
`api.py`) mounted once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jaminanku.accounts.login.api import router as login_router
from jaminanku.accounts.profile.api import router as profile_router
from jaminanku.accounts.recovery.api import router as recovery_router
from jaminanku.accounts.sessions.api import router as sessions_router
from jaminanku.accounts.signup.api import router as signup_router
from jaminanku.bookings.api import router as bookings_router
from jaminanku.card.api import member_cards
from jaminanku.card.api import router as card_router
from jaminanku.claims.api import router as claims_router
from jaminanku.core.errors import DomainError
from jaminanku.member.api import router as member_router
from jaminanku.news.api import router as news_router
from jaminanku.offices.api import router as offices_router

api = NinjaAPI(
    title="JaminanKu API",
    version="1",
    urls_namespace="api",
    description="Member self-service API: sign-up, account, balance, card, offices, queue, news.",
)


def _private_when_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An answer to a request with credentials is the member's own data (balance, card, sessions): no shared or
    browser cache may keep it (ASVS 14.3.2), unless the operation chose its own Cache-Control."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if "Authorization" in request.headers or request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapped


api.add_decorator(_private_when_signed_in, mode="view")


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {"code": exc.code, "message": str(exc.message), "field": exc.field, **exc.extra}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "invalid_input", "message": _("Data yang dikirim tidak valid."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": _("Silakan masuk terlebih dahulu.")}, status=401
    )


@api.exception_handler(MultiPartParserError)
def unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # a form body that cannot be read (multipart without a boundary) is the client's mistake, not a server error
    return api.create_response(
        request, {"code": "invalid_input", "message": _("Isi permintaan tidak dapat dibaca.")}, status=400
    )


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # past DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses to read the body: without this it was a 500 under DEBUG and
    # Django's HTML "Bad Request" page in production, where a client expects the API's JSON
    return api.create_response(
        request,
        {"code": "request_too_large", "message": _("Isi permintaan terlalu besar."), "field": None},
        status=413,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"code": "http_error", "message": str(exc)}, status=exc.status_code)


@api.get("/health", tags=["meta"], auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/card", card_router)
api.add_router("/offices", offices_router)
api.add_router("/accounts", login_router)  # the account API, one router per flow, under one prefix
api.add_router("/accounts", profile_router)
api.add_router("/accounts", recovery_router)
api.add_router("/accounts", sessions_router)
api.add_router("/signup", signup_router)
api.add_router("/news", news_router)
api.add_router("/me", member_router)
api.add_router("/me", member_cards)
api.add_router("/bookings", bookings_router)
api.add_router("/claims", claims_router)
