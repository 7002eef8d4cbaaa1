"""`manage.py mark_no_shows`: bookings whose slot ended without a check-in become no-shows (run every few
minutes from cron or a systemd timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.bookings.services import mark_no_shows


class Command(BaseCommand):
    help = "Marks bookings of ended slots that were not checked in as no-shows."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{mark_no_shows()} bookings marked no-show.")
