"""`manage.py ledger_checksums`: checksums of every account, contribution, entry and wage report
(`contributions.checksums`), to compare two databases seeded alike before and after a change to posting or
crediting."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.contributions.checksums import ledger_checksums


class Command(BaseCommand):
    help = "Checksums of every JHT account, contribution, entry and wage report (database ids and times left out)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, checksum in ledger_checksums().items():
            self.stdout.write(f"{name}: rows={checksum.rows} total={checksum.total} sha256={checksum.digest}")
