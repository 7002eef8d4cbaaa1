"""`manage.py credit_development YEAR`: credits a year's JHT development to every account (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from tqdm import tqdm

from jaminanku.contributions.crediting import CHUNK_ACCOUNTS, credit_development
from jaminanku.contributions.models import Account
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah, percent_from_ppm


class Command(BaseCommand):
    help = "Credits the JHT development (hasil pengembangan) of YEAR to every account; safe to re-run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--chunk-size", type=int, default=CHUNK_ACCOUNTS, help="membership ids per transaction")
        parser.add_argument(
            "--connections",
            type=int,
            default=1,
            help="chunks credited at once, each on its own connection (PostgreSQL)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args: Any, year: int, chunk_size: int, connections: int, no_progress: bool, **options: Any
    ) -> None:
        if connections < 1:
            raise CommandError("--connections must be 1 or more.")
        bounds = Account.objects.aggregate(low=Min("membership_id"), high=Max("membership_id"))  # the chunks' unit
        total = (bounds["high"] - bounds["low"] + 1) if bounds["low"] is not None else 0
        bar = tqdm(total=total, unit="akun", disable=no_progress or total == 0, file=self.stderr)
        try:
            run = credit_development(year=year, progress=bar.update, chunk_size=chunk_size, connections=connections)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"Tahun {run.year} ({percent_from_ppm(run.rate_ppm)}%): {run.accounts_credited} rekening dikreditkan, "
            f"total {format_rupiah(run.total_credited)}."
        )
