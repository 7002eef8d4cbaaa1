"""Nearest branch office: from the phone's location (asked only on a tap) or a typed city name."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jaminanku.offices.selectors import NearbyOffice, locate_place, nearest_offices


def _coordinate(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@require_GET
def nearest(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("kota") or "").strip()[:100]
    lat = _coordinate(request.GET.get("lat"), -90, 90)
    lon = _coordinate(request.GET.get("lon"), -180, 180)
    error = ""
    results: list[NearbyOffice] = []
    if query:
        place = locate_place(query)
        if place is None:
            error = _("Kota atau kabupaten “%(q)s” tidak ditemukan.") % {"q": query}
        else:
            lat, lon = place
    elif request.GET.get("lat") is not None and (lat is None or lon is None):
        error = _("Lokasi tidak valid.")
    if lat is not None and lon is not None and not error:
        results = nearest_offices(latitude=lat, longitude=lon, limit=10)
    return render(
        request,
        "offices/nearest.html",
        {
            "nav": "offices",
            "query": query,
            "results": results,
            "error": error,
            "lat": lat,
            "lon": lon,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )
