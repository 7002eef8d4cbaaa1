"""Site-wide middleware: the language of every answer, and no caching of answers that may carry personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Bahasa Indonesia unless the member chose English (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show English to most phones
    set up in English; a national service speaks Indonesian first and lets people switch. API clients without the
    cookie may still ask with Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        if not chosen and request.path.startswith("/api/"):
            # mobile clients say which language they want in the header
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PrivatePagesMiddleware:
    """Every answer to a signed-in member or staff officer, or to a visitor whose session holds something (a
    sign-up, a login's second step or a password reset in progress keep theirs there), may carry personal data:
    no browser or shared cache may keep it (ASVS 14.3.2). Said here once for every such page, file and API
    answer, rather than remembered view by view, and it overrides what a view chose. The service worker's
    offline copies of the home and card pages live in its own cache, which this header does not govern.

    Public pages for visitors without a session keep what their view chose; static files never reach this
    middleware (WhiteNoise answers them first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # read after the view: a login in this request makes the answer private already, a logout has emptied
        # the session; the API's bearer-token check puts its member on request.user too
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or (session is not None and not session.is_empty()):
            response["Cache-Control"] = "private, no-store"
        return response
