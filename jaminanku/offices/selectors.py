"""Reads of the office list: nearest offices by great-circle distance, and search by city or regency name.

The distance is the haversine formula written out here: with a few hundred offices a Python pass is cheaper
than a spatial extension, and it behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Q

from jaminanku.offices.loader import plain_city_name
from jaminanku.offices.models import Office
from jaminanku.registry.models import Person, Regency

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class NearbyOffice:
    office: Office
    distance_km: float


def nearest_offices(
    *, latitude: float, longitude: float, limit: int = 10, kinds: tuple[str, ...] = ("kc", "kcp")
) -> list[NearbyOffice]:
    offices = Office.objects.filter(active=True, kind__in=kinds, latitude__isnull=False, longitude__isnull=False)
    ranked = sorted(
        (NearbyOffice(o, great_circle_km(latitude, longitude, o.latitude, o.longitude)) for o in offices),  # type: ignore[arg-type]
        key=lambda n: n.distance_km,
    )
    return ranked[: max(1, min(limit, 50))]


def locate_place(text: str) -> tuple[float, float] | None:
    """The coordinates of a typed city or regency name ("kota bandung", "Kabupaten Bogor", "bogor"): the
    office in that regency, else the nearest known city centre of the same name."""
    name = plain_city_name(" ".join((text or "").split()))[:100]
    if not name or "\x00" in name:  # PostgreSQL refuses NUL in a query: no such place
        return None
    office = Office.objects.filter(
        Q(city__iexact=name) | Q(regency__name__iendswith=name), latitude__isnull=False
    ).first()
    if office is not None:
        return office.latitude, office.longitude  # type: ignore[return-value]
    regency = Regency.objects.filter(name__iendswith=name, current=True).select_related("province").first()
    if regency is None:
        return None
    in_province = Office.objects.filter(province=regency.province, kind="kc", latitude__isnull=False).first()
    if in_province is None:
        return None
    return in_province.latitude, in_province.longitude  # type: ignore[return-value]


def serving_office(person: Person) -> Office | None:
    """The branch that serves `person`: an active branch or small branch in the regency of their address, or,
    without an address, in the regency of their NIK's first four digits (where the KTP was issued); else the
    first active non-regional office in that province. None when the province has no active office."""
    regency_code = person.district.regency_id if person.district_id else (person.nik or "")[:4]  # type: ignore[union-attr]
    return branch_for_regency(regency_code)


def branch_for_regency(regency_code: str) -> Office | None:
    branches = Office.objects.filter(active=True).exclude(kind=Office.Kind.REGIONAL)
    # "kc" sorts before "kcp": a full branch first, then a small one, then the lowest code
    in_regency = branches.filter(regency_id=regency_code).order_by("kind", "code").first()
    if in_regency is not None:
        return in_regency
    return branches.filter(province_id=regency_code[:2]).order_by("kind", "code").first()
