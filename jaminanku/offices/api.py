"""Office endpoints of the JSON API (anonymous): nearest offices by coordinates or by a typed place."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jaminanku.api.schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.offices.selectors import locate_place, nearest_offices

router = Router(tags=["offices"])


class OfficeOut(Schema):
    code: str
    name: str
    kind: str
    city: str
    address: str
    phone: str
    opening_hours: str
    time_zone: str
    latitude: float | None
    longitude: float | None
    coordinates_approximate: bool
    distance_km: float


class NearestQuery(Schema):
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    q: str | None = Field(None, max_length=100, description="city or regency name, e.g. 'Kota Bandung'")
    limit: int = Field(10, ge=1, le=50)


@router.get("/nearest", response={200: list[OfficeOut], **errors(404, 422)}, auth=None)
def nearest(request: HttpRequest, params: Query[NearestQuery]) -> list[OfficeOut]:
    lat, lon = params.lat, params.lon
    if params.q:
        place = locate_place(params.q)
        if place is None:
            raise NotFound("Kota atau kabupaten tidak ditemukan.", code="place_not_found")
        lat, lon = place
    if lat is None or lon is None:
        raise NotFound("Berikan lat dan lon, atau q.", code="location_required")
    return [
        OfficeOut(
            code=n.office.code,
            name=n.office.name,
            kind=n.office.kind,
            city=n.office.city,
            address=n.office.address,
            phone=n.office.phone,
            opening_hours=n.office.opening_hours,
            time_zone=n.office.time_zone,
            latitude=n.office.latitude,
            longitude=n.office.longitude,
            coordinates_approximate=n.office.coordinates_approximate,
            distance_km=round(n.distance_km, 1),
        )
        for n in nearest_offices(latitude=lat, longitude=lon, limit=params.limit)
    ]
