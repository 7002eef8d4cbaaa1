"""Office endpoints of the JSON API (anonymous): every office by province (or those of a typed province), and the
nearest offices by coordinates or by a typed place."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.offices.models import Office
from jaminanku.offices.selectors import find_place, nearest_offices, offices_by_province

router = Router(tags=["offices"])


class OfficeBase(Schema):
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


class OfficeOut(OfficeBase):
    distance_km: float


class ProvinceOfficesOut(Schema):
    code: str
    name: str
    offices: list[OfficeBase]


class ProvinceQuery(Schema):
    q: str | None = Field(None, max_length=100, description="a province's name, e.g. 'Jawa Barat'; all when left out")


class NearestQuery(Schema):
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    q: str | None = Field(
        None, max_length=100, description="province, city or regency name, e.g. 'Kota Bandung' or 'Jawa Barat'"
    )
    limit: int = Field(10, ge=1, le=50)


def _office_fields(office: Office) -> dict:
    return {
        "code": office.code,
        "name": office.name,
        "kind": office.kind,
        "city": office.city,
        "address": office.address,
        "phone": office.phone,
        "opening_hours": office.opening_hours,
        "time_zone": office.time_zone,
        "latitude": office.latitude,
        "longitude": office.longitude,
        "coordinates_approximate": office.coordinates_approximate,
    }


@router.get(
    "/by-province",
    response={200: list[ProvinceOfficesOut], **errors(404, 422)},
    auth=None,
    summary="Offices by province",
)
def by_province(request: HttpRequest, params: Query[ProvinceQuery]) -> list[ProvinceOfficesOut]:
    provinces = None
    if params.q:
        place = find_place(params.q)
        if place is None or not place.provinces:
            raise NotFound(_("Provinsi tidak ditemukan."), code="province_not_found", field="q")
        provinces = place.provinces
    return [
        ProvinceOfficesOut(
            code=group.province.code,
            name=group.province.name,
            offices=[OfficeBase(**_office_fields(o)) for o in group.offices],
        )
        for group in offices_by_province(provinces)
    ]


@router.get("/nearest", response={200: list[OfficeOut], **errors(404, 422)}, auth=None)
def nearest(request: HttpRequest, params: Query[NearestQuery]) -> list[OfficeOut]:
    """Nearest branches to `lat`/`lon`, or to a typed place: a city or regency, or a province (from its point)."""
    lat, lon = params.lat, params.lon
    if params.q:
        place = find_place(params.q)
        if place is None:
            raise NotFound(_("Provinsi, kota atau kabupaten tidak ditemukan."), code="place_not_found")
        lat, lon = place.point
    if lat is None or lon is None:
        raise NotFound("Berikan lat dan lon, atau q.", code="location_required")
    return [
        OfficeOut(**_office_fields(n.office), distance_km=round(n.distance_km, 1))
        for n in nearest_offices(latitude=lat, longitude=lon, limit=params.limit)
    ]
