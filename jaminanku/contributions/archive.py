"""Archiving a closed year of the JHT ledger (PostgreSQL): its partitions are detached, to be dumped and kept
elsewhere, and may then be dropped (the dump restored and attached brings them back). What the live ledger keeps
of the year is one `ArchivedYearTotal` per account, the sums of that account's lines of the year, written in the
detach's transaction. Every reader of the whole ledger counts it as the year's one line:
`ledger.archived_lines_sql` in `reconcile_ledger`, the member's per-year breakdown and statement (dated
31 December there). So the balances, which still hold the year, still equal the sums of their lines, and
reconciling stays meaningful with years archived. Attaching the year again deletes its totals.

The partitions themselves (`contributions.partitions`) know nothing of models; this module ties the two in one
transaction, the caller's."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import CheckConstraint
from django.utils.translation import gettext as _

from jaminanku.audit.services import record_event
from jaminanku.contributions import partitions
from jaminanku.contributions.ledger import ledger_lines_sql
from jaminanku.contributions.models import Account, ArchivedYearTotal, Contribution, JhtEntry
from jaminanku.core import table_locks
from jaminanku.core.errors import DomainError

SUMMED = ("employer_amount", "worker_amount", "development_amount", "claim_amount", "amount")


def _tables(year: int) -> tuple[str, str]:
    return partitions.partition_name(partitions.ENTRIES, year), partitions.partition_name(
        partitions.CONTRIBUTIONS, year
    )


def record_totals(cursor: Any, year: int) -> int:
    """Sums each account's lines of `year`, from its partitions or its detached tables (the same names), into
    ArchivedYearTotal; returns the accounts."""
    columns = ", ".join(SUMMED)
    sums = ", ".join(f"SUM({name})" for name in SUMMED)
    cursor.execute(
        f"""INSERT INTO {ArchivedYearTotal._meta.db_table} (account_id, year, lines, {columns})
            SELECT account_id, %s, COUNT(*), {sums} FROM ({ledger_lines_sql(tables=_tables(year))}) lines
            GROUP BY account_id""",  # noqa: S608 - table names from model metadata and partitions
        [year],
    )
    return int(cursor.rowcount)


# Pages the sums' table keeps at least (about 16,000 rows' room): the planner then costs a sequential scan of it
# above a probe of its (account, year) key, however few rows it holds.
PROBED_FROM_PAGES = 200


def keep_totals_table_probed(cursor: Any) -> bool:
    """Gives the sums' table `PROBED_FROM_PAGES` pages when it has fewer, in a transaction of its own before a
    detach; returns whether it did. Why: a member's per-year statement runs prepared, and its generic plan, made
    while the table has no pages (before a database's first archive), reads it by a sequential scan; while a detach
    then writes its sums, every member's read went through all of them, uncommitted (at 1,000,000 persons, 2016's
    272,925 sums: 94 reads/s against 1,511, bench/maintenance.py). Rows of real accounts with no lines (a sum
    always has some) are written and deleted in one transaction, the pages stay (migration 0014 keeps VACUUM from
    giving them back), and ANALYZE makes every connection plan the statement again: now a probe of the key."""
    table, accounts = ArchivedYearTotal._meta.db_table, Account._meta.db_table
    cursor.execute("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
    if cursor.fetchone()[0] >= PROBED_FROM_PAGES:
        return False
    rows = 100 * PROBED_FROM_PAGES
    cursor.execute(f"SELECT count(*) FROM (SELECT FROM {accounts} LIMIT %s) a", [rows])  # noqa: S608
    (found,) = cursor.fetchone()
    if not found:
        return False  # no account, no year to archive
    columns = ", ".join(SUMMED)
    with transaction.atomic():
        cursor.execute(
            f"""INSERT INTO {table} (account_id, year, lines, {columns})
                SELECT a.id, y, 0, {", ".join("0" for _ in SUMMED)}
                FROM (SELECT id FROM {accounts} ORDER BY id LIMIT %s) a CROSS JOIN generate_series(1, %s) y
                ON CONFLICT DO NOTHING""",  # noqa: S608 - table names from model metadata
            [rows, -(-rows // found)],
        )
        cursor.execute(f"DELETE FROM {table} WHERE lines = 0")  # noqa: S608 - a year's sums have lines
    cursor.execute(f"ANALYZE {table}")
    return True


def is_archived(cursor: Any, year: int) -> bool:
    """Whether `year` is detached, or was dropped with its sums kept: making its partitions again would put new
    lines beside sums that an attach could not tell apart."""
    return year in partitions.detached_years(cursor) or ArchivedYearTotal.objects.filter(year=year).exists()


def _check_accounts_now(cursor: Any) -> None:
    """The sums' key to their accounts, checked now rather than at the commit (1.6 s at 1,000,000 persons), while
    the detach's lock on the whole ledger is not yet taken."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'f'",
        [ArchivedYearTotal._meta.db_table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'SET CONSTRAINTS "{name}" IMMEDIATE')


def detach_year(cursor: Any, year: int, *, patience: float = table_locks.PATIENCE_SECONDS) -> int:
    """Detaches `year`'s partitions (`partitions.detach_year`) and keeps its totals; returns the accounts. Gives
    way to a late writer of the year that would deadlock with it, and raises `DatabaseBusy` when the ledger's lock
    cannot be had within `patience` seconds (`core.table_locks`)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            with transaction.atomic():  # giving way rolls back the year's lock and its sums
                return _detach_once(cursor, year, patience=max(deadline - time.monotonic(), 0))
        except table_locks.GiveWay:
            if time.monotonic() < deadline:
                continue  # and again: the year's lock now waits for the writer to commit
        except table_locks.DatabaseBusy:
            pass
        raise table_locks.DatabaseBusy(_detached_with(year), patience)


def _detached_with(year: int) -> list[str]:
    """The tables a detach of `year` alters: the claims (their key), both ledger tables and the year's partitions."""
    return [partitions.CLAIMS, *(ledger.table for ledger in partitions.TABLES), *reversed(_tables(year))]


def _detach_once(cursor: Any, year: int, *, patience: float) -> int:
    # Summed first, with only the year's own partitions locked against writes (the rest of the ledger, and every
    # read, goes on): the detach after it holds the whole ledger for a moment only. At 1,000,000 persons the sums
    # of 2016 (2.4 million lines) take about 7 s (docs/deployment.md). The mode also excludes itself, so a second
    # detach of the year waits here, then finds the year detached.
    entries, contributions = _tables(year)
    cursor.execute(f'LOCK TABLE "{contributions}", "{entries}" IN SHARE ROW EXCLUSIVE MODE')
    if year in partitions.detached_years(cursor):
        raise DomainError(_("Tahun %(year)s sudah dilepas.") % {"year": year})
    accounts = record_totals(cursor, year)
    _check_accounts_now(cursor)
    # What the detach needs, taken in tries so that the member's reads never queue behind it for long, and given
    # up when a writer of the year waits for the lock above while it holds the ledger's.
    table_locks.lock_tables_briefly(
        cursor,
        _detached_with(year),
        "ACCESS EXCLUSIVE",
        only=[ledger.table for ledger in partitions.TABLES],
        give_way_to=[contributions, entries],
        patience=patience,
    )
    partitions.detach_year(cursor, year)
    record_event("ledger_year_detached", object_type="ledger_year", object_id=str(year), after={"accounts": accounts})
    return accounts


def _checks_as_the_models(cursor: Any, year: int) -> None:
    """A year restored from its dump (pg_restore, after `drop_year`) carries the ledger's CHECK constraints parsed
    again from their text, and PostgreSQL builds an IN list's varchar array as another, equal expression, which
    ATTACH refuses: each model check whose definition differs from the parent's is declared again as the model's
    migration declared it (a scan of the table each). A year detached and never dumped has them as they were."""
    with connection.schema_editor() as editor:
        for model, table in zip((JhtEntry, Contribution), _tables(year), strict=True):
            for constraint in model._meta.constraints:
                if not isinstance(constraint, CheckConstraint):
                    continue
                cursor.execute(
                    """SELECT pg_get_constraintdef(c.oid) = pg_get_constraintdef(p.oid)
                       FROM pg_constraint p JOIN pg_constraint c ON c.conname = p.conname
                       WHERE p.conrelid = to_regclass(%s) AND c.conrelid = to_regclass(%s) AND p.conname = %s""",
                    [model._meta.db_table, table, constraint.name],
                )
                if cursor.fetchone() != (True,):
                    cursor.execute(
                        f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{constraint.name}", '
                        f"ADD {constraint.constraint_sql(model, editor)}"
                    )


def attach_year(cursor: Any, year: int, *, patience: float = table_locks.PATIENCE_SECONDS) -> None:
    """Attaches a detached `year` again and deletes its totals, its lines count again. The claims' key into the
    entries stays NOT VALID: `validate_claims_key`, in a transaction of its own, validates it."""
    if year not in partitions.detached_years(cursor):
        raise DomainError(
            _("Tahun %(year)s tidak sedang dilepas: tabelnya sudah dihapus atau belum pernah dilepas.") % {"year": year}
        )
    _checks_as_the_models(cursor, year)
    ArchivedYearTotal.objects.filter(year=year).delete()
    partitions.attach_year(cursor, year, patience=patience)
    record_event("ledger_year_attached", object_type="ledger_year", object_id=str(year))


def validate_claims_key(cursor: Any) -> bool:
    """Validates the claims' key into the entries again once no year is detached or dropped (none has totals
    left); returns whether it did. One pass over the claims, 3.3–8.2 s at 1,000,000 persons: in the attach's
    transaction it held the DEFAULT partitions' lock, and so every read of a member's whole ledger, that long. On
    its own it locks nothing that reads or writes wait for (PostgreSQL's SHARE UPDATE EXCLUSIVE)."""
    if partitions.detached_years(cursor) or ArchivedYearTotal.objects.exists():
        return False
    partitions.validate_claims_key(cursor)
    return True


def drop_year(cursor: Any, year: int, *, dump: Path) -> None:
    """Drops a detached `year`'s tables for good once `dump` holds them (`dumped_rows`); its totals stay as the
    year's lines, and the audit log keeps the dump's name and SHA-256. The claims paid that year keep their
    entry's id and day, pointing into the archive, and the claims' key into the entries stays NOT VALID until the
    dump is restored (pg_restore), the year attached again (`attach_year`) and the key validated
    (`validate_claims_key`)."""
    if year not in partitions.detached_years(cursor):
        raise DomainError(
            _("Tahun %(year)s tidak sedang dilepas: lepaskan dan arsipkan dulu sebelum menghapus.") % {"year": year}
        )
    rows = {}
    for table in _tables(year):
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a partition's name, never input
        rows[table] = cursor.fetchone()[0]
        if dumped_rows(dump, table) != rows[table]:
            raise DomainError(
                _("Arsip %(dump)s tidak memuat seluruh %(rows)s baris %(table)s: tabel tidak dihapus.")
                % {"dump": dump, "rows": rows[table], "table": table}
            )
    partitions.drop_detached_year(cursor, year)
    with dump.open("rb") as archive_file:
        digest = hashlib.file_digest(archive_file, "sha256").hexdigest()
    after = {"dump": str(dump), "sha256": digest, "rows": rows}
    record_event("ledger_year_dropped", object_type="ledger_year", object_id=str(year), after=after)


def dumped_rows(dump: Path, table: str) -> int:
    """The rows of `table` in the pg_dump archive `dump` (custom, directory or tar format), counted from what
    `pg_restore --data-only` writes (one line per row between COPY and its end mark), streamed: 0 when the
    archive does not hold the table. Refuses (DomainError) a file pg_restore cannot read."""
    command = ["pg_restore", "--data-only", f"--table={table}", "--file=-", str(dump)]
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors) as restore,  # noqa: S603 - no shell
    ):
        rows, copying = 0, False
        for line in restore.stdout or ():
            if copying:
                if line == b"\\.\n":
                    copying = False
                else:
                    rows += 1
            elif line.startswith(b"COPY "):
                copying = True
        restore.wait()
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
    if restore.returncode != 0:
        raise DomainError(_("Arsip %(dump)s tidak terbaca: %(error)s") % {"dump": dump, "error": error})
    return rows


__all__ = [
    "attach_year",
    "detach_year",
    "drop_year",
    "dumped_rows",
    "is_archived",
    "keep_totals_table_probed",
    "record_totals",
    "validate_claims_key",
]
