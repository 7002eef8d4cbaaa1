"""`manage.py load_offices`: adds the derived office list (see offices/loader.py); offices staff edited stay."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.offices.services import load_offices


class Command(BaseCommand):
    help = "Loads branch and regional offices, placed on the points of their region codes (marked approximate)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{load_offices()} offices added.")
