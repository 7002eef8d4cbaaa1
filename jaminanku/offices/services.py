"""Writes to the office list."""

from __future__ import annotations

from django.db import transaction

from jaminanku.offices.loader import build_office_rows
from jaminanku.offices.models import Office


def load_offices() -> int:
    """Inserts offices that are not there yet (by code); never overwrites what staff edited. Returns how many."""
    existing = set(Office.objects.values_list("code", flat=True))
    new = [
        Office(
            code=r.code,
            name=r.name,
            kind=r.kind,
            province_id=r.province_code,
            regency_id=r.regency_code,
            city=r.city,
            latitude=r.latitude,
            longitude=r.longitude,
            coordinates_approximate=True,
            time_zone=r.time_zone,
            source=r.source,
        )
        for r in build_office_rows()
        if r.code not in existing
    ]
    with transaction.atomic():
        Office.objects.bulk_create(new)
    return len(new)
