"""Prints the read replica's lag for monitoring: `manage.py replica_status` (exit status 1 when the standby lags
more than REPLICA_MAX_LAG_SECONDS or cannot be asked, so a cron check or a probe can alert on it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from jaminanku.core import db_routing


class Command(BaseCommand):
    help = "Shows the read replica's replay lag and the primary's standbys."

    def handle(self, *args: Any, **options: Any) -> None:
        if "replica" not in settings.DATABASES:
            self.stdout.write("replica: not configured (DATABASE_REPLICA_URL is empty)")
            return
        lag = db_routing.replica_lag_seconds()
        limit = settings.REPLICA_MAX_LAG_SECONDS
        shown = "unreachable" if lag == float("inf") else f"{lag:.3f}s"
        self.stdout.write(f"replica lag: {shown} (limit {limit:g}s)")
        try:
            for standby in db_routing.primary_status():
                self.stdout.write(
                    f"standby {standby['name']}: {standby['state']} {standby['sync_state']}"
                    f" replay_lag={standby['replay_lag']:.3f}s"
                )
        except DatabaseError as exc:
            self.stdout.write(f"primary: {exc}")
        if lag > limit:
            raise CommandError(f"replica lag {shown} above {limit:g}s: reads go to the primary")
