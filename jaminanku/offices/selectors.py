"""Reads of the office list: offices by province, nearest offices by great-circle distance, and search by a
province, city or regency name.

The distance is the haversine formula written out here: with a few hundred offices a Python pass is cheaper
than a spatial extension, and it behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from jaminanku.offices.loader import plain_city_name
from jaminanku.offices.models import Office
from jaminanku.registry.models import Person, Province, Regency
from jaminanku.registry.regions import Point, region_points

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


@dataclass(frozen=True)
class ProvinceOffices:
    province: Province
    offices: list[Office]


def offices_by_province(provinces: list[Province] | None = None) -> list[ProvinceOffices]:
    """Active offices grouped by province (all provinces, or those given), provinces by name; in each the
    regional office first, then branches, then small branches, each by name."""
    offices = Office.objects.filter(active=True).select_related("province")
    if provinces is not None:
        offices = offices.filter(province__in=provinces)
    groups: dict[str, ProvinceOffices] = {}
    for office in offices.order_by("province__name", "kind", "name"):
        groups.setdefault(office.province_id, ProvinceOffices(office.province, [])).offices.append(office)
    return list(groups.values())


@dataclass(frozen=True)
class PlaceMatch:
    """What a typed place named: one or more provinces (their offices are listed), or a city or regency; `point`
    is where nearest offices are counted from (for provinces, the first one's point)."""

    point: Point
    provinces: list[Province]


def _key(name: str) -> str:
    """Case, spaces, dots and dashes do not count: "Palangkaraya" is "Palangka Raya", "Bau-Bau" is "Baubau"."""
    return re.sub(r"[\s.\-]", "", name.lower())


# how people shorten the two special provinces' names
_PROVINCE_SHORT_FORMS = [
    (re.compile(r"^provinsi\s+", re.I), ""),
    (re.compile(r"^dki\b", re.I), "daerah khusus ibukota"),
    (re.compile(r"^diy\b", re.I), "daerah istimewa yogyakarta"),
    (re.compile(r"^di\b", re.I), "daerah istimewa"),
]


def _province_key(text: str) -> str:
    for short, long in _PROVINCE_SHORT_FORMS:
        text = short.sub(long, text)
    return _key(text)


def find_place(text: str) -> PlaceMatch | None:
    """A typed province, city or regency name ("Jawa Barat", "DKI Jakarta", "kota bandung", "Kabupaten Bogor",
    "bogor"), in that order: a province's full name; then a city or regency (its office, else its own point;
    a kota before a kabupaten of the same name unless "kabupaten" is typed); then every province whose name
    holds the typed words ("Jakarta", "Kalimantan")."""
    text = " ".join((text or "").split())[:100]
    if not text or "\x00" in text:  # PostgreSQL refuses NUL in a query: no such place
        return None
    provinces = list(Province.objects.filter(current=True).order_by("name"))
    wanted = _province_key(text)
    named = [p for p in provinces if _province_key(p.name) == wanted]
    if not named:
        place = _regency_point(text)
        if place is not None:
            return PlaceMatch(point=place, provinces=[])
        words = re.compile(rf"\b{re.escape(' '.join(text.lower().split()))}\b")
        named = [p for p in provinces if words.search(p.name.lower())]
    if not named:
        return None
    return PlaceMatch(point=region_points("province")[named[0].code], provinces=named)


def _regency_point(text: str) -> Point | None:
    name = _key(plain_city_name(text))
    if not name:
        return None
    typed_kind = "kabupaten" if re.match(r"kab(upaten|\.)?\s", text, re.I) else None
    office = next(
        (o for o in Office.objects.filter(latitude__isnull=False, longitude__isnull=False) if _key(o.city) == name),
        None,
    )
    if office is not None and typed_kind is None:
        return office.latitude, office.longitude  # type: ignore[return-value]
    regencies = [
        r
        for r in Regency.objects.filter(current=True).order_by("-kind", "code")  # "kota" before "kabupaten"
        if _key(plain_city_name(r.name)) == name and (typed_kind is None or r.kind == typed_kind)
    ]
    if not regencies:
        return None
    return region_points("regency")[regencies[0].code]


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
