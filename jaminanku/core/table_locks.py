"""Table locks for schema changes on a live PostgreSQL database, taken in short tries instead of one long wait.

Why by hand: PostgreSQL queues a lock request ahead of every later request it conflicts with, so an ACCESS
EXCLUSIVE request (detaching or creating a ledger partition) that waits for one long transaction to end — a month's
posting holds the ledger's row-exclusive lock for 23 s at a million persons — holds every read of that table behind
it for as long. The usual remedy is `lock_timeout` and a retry; Django and its migration libraries offer it for
migrations only (django-pg-zero-downtime-migrations), not for a transaction of the application's own. Here each try
waits a twentieth of `deadlock_timeout` (50 ms by default: ample for the reads ahead of it, which take a
millisecond), gives up its place in the queue (a savepoint rolled back), lets the queued reads through during a
pause four times as long, and tries again until its patience runs out. So the reads are held back a fifth of the
time at most while it waits (`bench/maintenance.py`).

A transaction that already holds some lock when it asks (detaching a year first sums that year's partitions under
a lock that keeps their writers out) can be part of a deadlock: a late posting into the year holds the parent's
lock and waits for the partition's. PostgreSQL would find the cycle after `deadlock_timeout` and abort one of the
two, as likely the posting. So before each try the tables named `give_way_to` are looked at: if a request waits on
one of them, `GiveWay` is raised, for the caller to roll back what holds them and start again after the waiting
transaction. A request that starts waiting later is seen within the next try and pause, a quarter of
`deadlock_timeout`, before PostgreSQL looks for a cycle."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.db import OperationalError, migrations, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jaminanku.core.errors import DomainError

LOCK_NOT_AVAILABLE = "55P03"
PATIENCE_SECONDS = 60.0


class GiveWay(Exception):  # noqa: N818 - an instruction to the caller, not an error
    """Another transaction waits for a lock that the caller holds: roll it back and start again."""


class DatabaseBusy(DomainError):
    """The lock could not be had in time; nothing was changed."""

    code = "database_busy"
    status = 503

    def __init__(self, tables: Sequence[str], patience: float):
        super().__init__(
            _(
                "Tabel %(tables)s sedang dipakai transaksi lain lebih dari %(seconds)s detik. Tidak ada yang diubah; "
                "coba lagi nanti."
            )
            % {
                "tables": ", ".join(tables),
                "seconds": number_format(int(patience) if patience.is_integer() else patience),
            }
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _milliseconds(cursor: Any, setting: str) -> int:
    cursor.execute("SELECT setting::int FROM pg_settings WHERE name = %s", [setting])
    return int(cursor.fetchone()[0])  # both settings are kept in milliseconds


def _waited_on(cursor: Any, tables: Sequence[str]) -> bool:
    cursor.execute(
        "SELECT EXISTS (SELECT FROM pg_locks WHERE NOT granted AND relation = ANY(%s::regclass[]))", [list(tables)]
    )
    return bool(cursor.fetchone()[0])


def lock_tables_briefly(
    cursor: Any,
    tables: Sequence[str],
    mode: str,
    *,
    only: Sequence[str] = (),
    give_way_to: Sequence[str] = (),
    patience: float = PATIENCE_SECONDS,
) -> None:
    """Locks `tables` in `mode` (a partitioned table and its partitions; those named in `only` without their
    partitions) for the rest of the transaction, in tries (module docstring). Raises `GiveWay` when a request
    waits on one of `give_way_to`, and `DatabaseBusy` once `patience` seconds have gone by without the lock."""
    names = ", ".join(f"ONLY {_quote(t)}" if t in only else _quote(t) for t in tables)
    deadlock_ms = _milliseconds(cursor, "deadlock_timeout")
    wait_ms = max(deadlock_ms // 20, 10)
    previous_ms = _milliseconds(cursor, "lock_timeout")
    deadline = time.monotonic() + patience
    while True:
        if give_way_to and _waited_on(cursor, give_way_to):
            raise GiveWay
        try:
            with transaction.atomic():
                cursor.execute(f"SET LOCAL lock_timeout = {wait_ms}")
                cursor.execute(f"LOCK TABLE {names} IN {mode} MODE")
                cursor.execute(f"SET LOCAL lock_timeout = {previous_ms}")
            return
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
        if time.monotonic() >= deadline:
            raise DatabaseBusy(tables, patience)
        time.sleep(4 * wait_ms / 1000)


def _run_locked(table: str, sql: str, mode: str) -> Any:
    """A migration's RunPython function that runs `sql` once it holds `table` in `mode`, the lock taken in tries on
    PostgreSQL; on SQLite, `sql` alone."""

    def run(apps: Any, schema_editor: Any) -> None:
        with schema_editor.connection.cursor() as cursor:
            if schema_editor.connection.vendor == "postgresql":
                lock_tables_briefly(cursor, [table], mode)
            cursor.execute(sql)

    return run


def index_dropped_in_tries(table: str, index: str, definition: str) -> migrations.RunPython:
    """A migration's operation that drops `index` of the live `table` under its exclusive lock taken in tries, and
    when reversed makes it again (`definition`: what follows `ON table`) under a lock that lets reads through."""
    return migrations.RunPython(
        _run_locked(table, f'DROP INDEX IF EXISTS "{index}"', "ACCESS EXCLUSIVE"),
        _run_locked(table, f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" {definition}', "SHARE"),
    )


__all__ = ["DatabaseBusy", "GiveWay", "index_dropped_in_tries", "lock_tables_briefly"]
