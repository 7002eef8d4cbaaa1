"""Loads the Kemendagri region tables (provinces, regencies, districts) from the CSVs shipped in data/, and gives
each code's point (area centroid) from the `*_centroids.csv` files beside them."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data" / "regions"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_regions(province_model: Any, regency_model: Any, district_model: Any) -> None:
    """Idempotent: inserts the codes that are missing (models are passed in so migrations can use it)."""
    have = set(province_model.objects.values_list("code", flat=True))
    province_model.objects.bulk_create(
        province_model(code=r["code"], name=r["name"], current=r["current"] == "1")
        for r in _rows("provinces.csv")
        if r["code"] not in have
    )
    have = set(regency_model.objects.values_list("code", flat=True))
    regency_model.objects.bulk_create(
        regency_model(
            code=r["code"],
            province_id=r["province_code"],
            name=r["name"],
            kind=r["kind"],
            current=r["current"] == "1",
        )
        for r in _rows("regencies.csv")
        if r["code"] not in have
    )
    have = set(district_model.objects.values_list("code", flat=True))
    district_model.objects.bulk_create(
        (
            district_model(code=r["code"], regency_id=r["regency_code"], name=r["name"], current=r["current"] == "1")
            for r in _rows("districts.csv")
            if r["code"] not in have
        ),
        batch_size=2000,
    )


RegionCodes = tuple[frozenset[str], frozenset[str], frozenset[str]]  # provinces, regencies, districts


@lru_cache(maxsize=1)
def region_codes() -> RegionCodes:
    """All province, regency and district codes ever issued (current and older editions), read from the same CSVs
    that the region tables are loaded from (migration 0002), so a NIK check needs neither the database nor the
    models (which validate NIKs themselves)."""
    return (
        frozenset(r["code"] for r in _rows("provinces.csv")),
        frozenset(r["code"] for r in _rows("regencies.csv")),
        frozenset(r["code"] for r in _rows("districts.csv")),
    )


Point = tuple[float, float]  # latitude, longitude (WGS84)


@lru_cache(maxsize=3)
def region_points(level: str) -> dict[str, Point]:
    """The point of every code of one level ("province", "regency" or "district"): the label point of the
    region's boundary polygon, not its town centre (data/README.md says how far apart they can be)."""
    return {r["code"]: (float(r["latitude"]), float(r["longitude"])) for r in _rows(f"{level}_centroids.csv")}
