"""Card pages: verifying a scanned card (public) and the agency's public key (public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jaminanku.card.selectors import verify_token
from jaminanku.card.signing import public_key_pem


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    result = verify_token(token)
    response = render(
        request, "card/verify.html", {"result": result, "nav": "card"}, status=200 if result.genuine else 404
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def public_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_key_pem(), content_type="application/x-pem-file")
