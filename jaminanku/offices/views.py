"""The office page: nearest branches from the phone's location (asked only on a tap) or a typed city or regency;
a typed province lists its offices, and with nothing asked every office is listed by province."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jaminanku.offices.selectors import NearbyOffice, ProvinceOffices, find_place, nearest_offices, offices_by_province


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
    groups: list[ProvinceOffices] = []
    if query:
        place = find_place(query)
        if place is None:
            error = _("Provinsi, kota atau kabupaten “%(q)s” tidak ditemukan.") % {"q": query}
        elif place.provinces:
            groups = offices_by_province(place.provinces)
        else:
            lat, lon = place.point
    elif request.GET.get("lat") is not None and (lat is None or lon is None):
        error = _("Lokasi tidak valid.")
    if lat is not None and lon is not None and not error and not groups:
        results = nearest_offices(latitude=lat, longitude=lon, limit=10)
    elif not query and not error:
        groups = offices_by_province()  # nothing asked yet: the whole list, no location needed
    return render(
        request,
        "offices/nearest.html",
        {
            "nav": "offices",
            "query": query,
            "results": results,
            "groups": groups,
            "error": error,
            "lat": lat,
            "lon": lon,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )
