"""Member-facing pages: the app shell and home (Beranda). Views only translate HTTP to selector calls."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SECTION_TITLES = {
    "card": "Kartu Digital",
    "offices": "Kantor Cabang",
    "queue": "Antrian Online",
    "account": "Akun",
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "member/home.html", {"nav": "home"})


@require_GET
def placeholder(request: HttpRequest, section: str) -> HttpResponse:
    return render(
        request,
        "member/placeholder.html",
        {"nav": section, "title": _(SECTION_TITLES[section])},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "JaminanKu",
        "short_name": "JaminanKu",
        "description": _("Layanan mandiri peserta jaminan sosial ketenagakerjaan"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b7a3b",
        "icons": [
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    response = JsonResponse(data)
    response["Content-Type"] = "application/manifest+json"
    return response
