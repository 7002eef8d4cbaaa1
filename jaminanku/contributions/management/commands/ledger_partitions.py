"""`manage.py ledger_partitions`: the yearly partitions of the JHT ledger on PostgreSQL (`contributions.partitions`).

    ledger_partitions list                 partitions of both tables with their bounds and row estimates
    ledger_partitions create [--ahead N]   this year's and the next N years' partitions, where missing (a yearly cron)
    ledger_partitions create --year YEAR   one year's partitions (lines of it already in DEFAULT are moved in)
    ledger_partitions detach YEAR          a closed year's partitions become plain tables, to dump and archive;
                                           each account's sums of the year stay in the ledger (`contributions.archive`)
    ledger_partitions attach YEAR          a detached (or restored from its dump) year back in place, its sums deleted
    ledger_partitions drop YEAR --dump F   a detached year's tables dropped once the pg_dump archive F holds
                                           every row of them; its sums stay

Each action is one transaction (attach a second one, which validates the claims' key to the ledger again once no
year is archived), and the last three are in the audit log (docs/deployment.md). Create, detach and
attach take the ledger's locks in short tries so that the members' reads never queue behind them for long
(`core.table_locks`); `--wait SECONDS` is how long they keep trying before they give up, changing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jaminanku.contributions import archive, partitions
from jaminanku.core import table_locks
from jaminanku.core.errors import DomainError


class Command(BaseCommand):
    help = "Lists, creates ahead, detaches, attaches or drops the yearly partitions of the JHT ledger (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["list", "create", "detach", "attach", "drop"])
        parser.add_argument("year", type=int, nargs="?", help="the year to detach, attach or drop")
        parser.add_argument("--year", dest="only_year", type=int, help="create: only this year")
        parser.add_argument("--ahead", type=int, default=partitions.AHEAD, help="create: years after this one")
        parser.add_argument("--dump", type=Path, help="drop: the pg_dump archive that holds the year's two tables")
        parser.add_argument(
            "--wait",
            type=float,
            default=table_locks.PATIENCE_SECONDS,
            help="create, detach, attach: seconds to keep trying for the ledger's lock (default %(default)s)",
        )

    def handle(
        self,
        *args: Any,
        action: str,
        year: int | None,
        only_year: int | None,
        ahead: int,
        dump: Path | None,
        wait: float,
        **options: Any,
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The ledger is partitioned on PostgreSQL only.")
        with connection.cursor() as cursor:
            if not partitions.is_partitioned(cursor, partitions.CONTRIBUTIONS.table):
                raise CommandError("The ledger is not partitioned: run `manage.py migrate` first.")
        self._check_arguments(action, year=year, ahead=ahead, wait=wait, dump=dump)
        if action == "detach":  # before its transaction: the members' statement must probe the sums' key
            with connection.cursor() as cursor:
                archive.keep_totals_table_probed(cursor)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                getattr(self, f"_{action}")(
                    cursor, year=year, only_year=only_year, ahead=ahead, dump=dump, patience=wait
                )
            if action == "attach":  # after the attach's commit: it locks nothing that reads wait for
                with transaction.atomic(), connection.cursor() as cursor:
                    if archive.validate_claims_key(cursor):
                        self.stdout.write("The claims' key into the ledger is validated again.")
        except (DatabaseError, DomainError) as exc:  # refused: say why, change nothing
            raise CommandError(str(exc).strip()) from exc

    @staticmethod
    def _check_arguments(action: str, *, year: int | None, ahead: int, wait: float, dump: Path | None) -> None:
        if action in ("detach", "attach", "drop") and year is None:
            raise CommandError(f"{action} needs a YEAR.")
        if ahead < 0:
            raise CommandError("--ahead must be 0 or more.")
        if wait < 0:
            raise CommandError("--wait must be 0 or more.")
        if action == "drop" and dump is None:
            raise CommandError("drop needs --dump: the pg_dump archive of the year's two tables.")

    def _list(self, cursor: Any, **_options: Any) -> None:
        for parent, child, bounds in partitions.partitions(cursor):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [child])
            (rows,) = cursor.fetchone()
            self.stdout.write(f"{parent}\t{child}\t{bounds}\t~{max(rows, 0)} rows")

    def _create(self, cursor: Any, *, only_year: int | None, ahead: int, patience: float, **_options: Any) -> None:
        if only_year is not None:
            if archive.is_archived(cursor, only_year):
                raise CommandError(
                    f"{only_year} is archived (detached, or dropped with its sums kept): attach it, restoring its "
                    "dump first if it was dropped, rather than make it again."
                )
            made = [only_year] if partitions.create_year(cursor, only_year, patience=patience) else []
        else:
            made = partitions.create_ahead(cursor, timezone.localdate(), ahead, patience=patience)
        self.stdout.write(f"Created: {', '.join(map(str, made))}." if made else "Nothing to create.")

    def _detach(self, cursor: Any, *, year: int, patience: float, **_options: Any) -> None:
        self._require(cursor, year, attached=True)
        accounts = archive.detach_year(cursor, year, patience=patience)
        tables = ", ".join(partitions.partition_name(ledger, year) for ledger in partitions.TABLES)
        self.stdout.write(f"Detached {year}: {tables} are plain tables now; {accounts} accounts' sums kept.")

    def _attach(self, cursor: Any, *, year: int, patience: float, **_options: Any) -> None:
        self._require(cursor, year, attached=False)
        archive.attach_year(cursor, year, patience=patience)
        self.stdout.write(f"Attached {year}.")

    def _drop(self, cursor: Any, *, year: int, dump: Path, **_options: Any) -> None:
        self._require(cursor, year, attached=False)
        archive.drop_year(cursor, year, dump=dump)
        self.stdout.write(f"Dropped {year}: its accounts' sums stay in the ledger as that year's lines.")

    @staticmethod
    def _require(cursor: Any, year: int, *, attached: bool) -> None:
        names = {partitions.partition_name(ledger, year) for ledger in partitions.TABLES}
        present = {child for _parent, child, _bounds in partitions.partitions(cursor)} & names
        if attached and present != names:
            raise CommandError(f"{year} is not attached.")
        if not attached and present:
            raise CommandError(f"{year} is attached already.")
