"""`manage.py import_wage_report FILE [FILE…]`: imports wage-report files (CSV or XLSX), one report each, and
prints what each did. Row errors do not fail the command; a file that cannot be read does (exit status 1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jaminanku.contributions.files import import_wage_report_file
from jaminanku.core.errors import DomainError

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Imports wage-report files (CSV or XLSX) and prints per-file results."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        failed = 0
        for path in files:
            try:
                result = import_wage_report_file(path_or_file=path, audit=True)
            except (DomainError, OSError) as exc:
                failed += 1
                self.stderr.write(f"{path}: {getattr(exc, 'message', exc)}")
                continue
            self.stdout.write(
                f"{path}: NPP {result.npp} periode {result.period:%m/%Y}: {result.rows_total} baris, "
                f"{result.rows_posted} dibukukan, {result.rows_duplicate} duplikat, {result.rows_rejected} ditolak"
            )
            for error in result.errors[:SHOWN_ERRORS]:
                self.stdout.write(f"  baris {error['row']}: {error['reason']}")
            if len(result.errors) > SHOWN_ERRORS:
                self.stdout.write(f"  … {len(result.errors) - SHOWN_ERRORS} kesalahan lain (lihat laporan di admin)")
        if failed:
            raise CommandError(f"{failed} berkas tidak dapat diimpor.")
