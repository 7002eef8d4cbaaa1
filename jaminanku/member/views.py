"""Member-facing pages: the app shell and home (Beranda). Views only translate HTTP to selector calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jaminanku.accounts.access import MemberRequest, member_required
from jaminanku.member.home_page import kpj_cards
from jaminanku.member.personal_data import export_personal_data
from jaminanku.member.selectors_home import home_headlines
from jaminanku.member.selectors_hot import overview_for_user, yearly_breakdowns


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"nav": "home", "rendered_at": timezone.localtime()}
    # the latest news for everyone, the same for every member: read at most twice a minute per process
    context["headlines"] = home_headlines(request.LANGUAGE_CODE)
    # the member, every KPJ's balance and status in one statement (the API's balance read, by the session's user)
    overview = overview_for_user(request.user) if request.user.is_authenticated else None
    if overview is not None:
        context["overview"] = overview
        # one grouped statement for all KPJs, prepared: the count stays the same however long the history is
        breakdowns = yearly_breakdowns([kpj.membership for kpj in overview.kpjs])
        # formatted in Python once: the template's filters and tags per cell were most of the page's rendering
        context["kpjs"] = kpj_cards(overview.kpjs, breakdowns)
    return render(request, "member/home.html", context)


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


# Bump when the service worker's caching changes, so that browsers drop the old cache.
SERVICE_WORKER_VERSION = "1"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so that its scope covers every member page."""
    response = render(
        request, "member/sw.js", {"version": SERVICE_WORKER_VERSION}, content_type="application/javascript"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@member_required
def my_data(request: MemberRequest) -> HttpResponse:
    """All data held about the logged-in member, as a JSON download (UU 27/2022 right of access)."""
    data = export_personal_data(person=request.person)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="data-saya-{timezone.localdate():%Y%m%d}.json"'
    return response
