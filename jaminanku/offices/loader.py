"""Builds the office list: a branch (KC) in every city (kota) and province capital, a regional office (kanwil)
in the eleven regional centres, each placed by its Kemendagri code on the region points shipped with the region
data (registry/data/README.md).

The shared data has region codes but no office list, so the list is derived from public facts (branches sit in
province capitals and major cities) and every coordinate is marked approximate: a kota's office stands on the
kota's own point (within a few km of its centre), a kabupaten capital's on the point of the district (kecamatan)
that holds the capital, never on a place found by name (GeoNames knew three towns called Banjar, none of them
Kota Banjar). Staff correct addresses and coordinates in the back office.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from jaminanku.registry.regions import DATA_DIR, region_points

SOURCE = "Titik wilayah Kemendagri (centroid, perkiraan): cahyadsn/wilayah_boundaries via creasico/laravel-nusa"
# Province capitals that are the seat of a kabupaten, not a kota: regency code → (district holding the seat, name).
KABUPATEN_CAPITALS = {
    "7602": ("760201", "Mamuju"),
    "6501": ("650105", "Tanjung Selor"),
    "9401": ("940101", "Nabire"),
    "9501": ("950101", "Wamena"),
    "9301": ("930101", "Merauke"),
    "9202": ("920212", "Manokwari"),  # the town lies in Manokwari Barat
}
REGIONAL_CENTRES = ["1271", "1471", "1671", "3171", "3673", "3273", "3374", "3578", "5171", "6471", "7371"]
# Indonesia's three time zones by province (Keppres 41/1987; the provinces made since kept their zone).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


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


def plain_city_name(regency_name: str) -> str:
    """`Kota Administrasi Jakarta Pusat` → `Jakarta Pusat`, `Kabupaten Bogor` → `Bogor`."""
    return re.sub(r"^(kota administrasi|kota|kabupaten|kab\.)\s+", "", regency_name.strip(), flags=re.I).strip()


def time_zone_of(province_code: str) -> str:
    if province_code in WIT_PROVINCES:
        return "Asia/Jayapura"
    if province_code in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def build_office_rows() -> list[OfficeRow]:
    """The office list, every office on the point of its own region code."""
    with (DATA_DIR / "regencies.csv").open(encoding="utf-8") as handle:
        regencies = {r["code"]: r for r in csv.DictReader(handle) if r["current"] == "1"}
    regency_points, district_points = region_points("regency"), region_points("district")
    wanted = [
        (code, plain_city_name(r["name"]), regency_points[code]) for code, r in regencies.items() if r["kind"] == "kota"
    ]
    wanted += [
        (code, seat, district_points[district])
        for code, (district, seat) in KABUPATEN_CAPITALS.items()
        if code in regencies
    ]
    rows: list[OfficeRow] = []
    for code, city, (lat, lon) in wanted:
        province = regencies[code]["province_code"]
        zone = time_zone_of(province)
        rows.append(OfficeRow(f"KC{code}", f"Kantor Cabang {city}", "kc", province, code, city, lat, lon, zone, SOURCE))
        if code in REGIONAL_CENTRES:
            rows.append(
                OfficeRow(f"KW{code}", f"Kantor Wilayah {city}", "kanwil", province, code, city, lat, lon, zone, SOURCE)
            )
    return rows
