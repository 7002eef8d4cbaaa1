"""`manage.py load_offices`: adds the derived office list (see offices/loader.py); offices staff edited stay."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.offices.services import load_offices


class Command(BaseCommand):
    help = "Loads branch and regional offices (city centres from the GeoNames gazetteer, marked approximate)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, missing = load_offices()
        self.stdout.write(f"{created} offices added.")
        if missing:
            self.stdout.write("Not placed (no coordinates found): " + ", ".join(missing))
