"""Seeding an empty ledger the way pg_restore loads a table: the ledger's plain B-tree indexes are dropped while
the years of history are posted and built again, each in one sorted pass, when they are in.

Why: every posted month adds a contribution (its own JHT ledger line), and its plain indexes are keyed by member or
employer, so each row lands on random pages of indexes that, at a million persons, no longer fit in memory; the
posting itself needs only the primary keys. The unique index that refuses a second posting of a month goes too
(`POSTED_ONCE`), checked when it is built again. Nothing the history's posting, claims or crediting read depends on
the dropped indexes (crediting finds a year's lines through the BRIN indexes on the entries' value_date and the
contributions' period, which stay).
Only on PostgreSQL, and only when the ledger is empty: a database that already has a history keeps its indexes,
since other readers may be using them. The definitions come from the catalogue, so an index added by a later
migration is handled too. They are built again however the block ends: on a new connection if the block's
broke, and if even that fails the statements to build them are printed, since a later seeding keeps a ledger
with rows as it finds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import Error, connection
from django.db.backends.signals import connection_created

from jaminanku.contributions.models import Contribution, JhtEntry

LEDGER_TABLES = (Contribution._meta.db_table, JhtEntry._meta.db_table)

_PLAIN_BTREE_INDEXES = """
    SELECT c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    WHERE t.relname = ANY(%s) AND t.relnamespace = to_regnamespace(current_schema())
      AND NOT i.indisprimary AND am.amname = 'btree'
      AND ((NOT i.indisunique AND i.indpred IS NULL) OR c.relname = %s)
    ORDER BY c.relname
"""

# The unique index that refuses a second posting of a member's month from an employer: over every contribution like
# the plain ones, and as costly to keep up while they go in. Dropped with them and built again after the history,
# the way pg_restore adds constraints after the data: if anything had been posted twice, building it fails and so
# does the seeding. The self-payments' unique index (a tenth of the rows) and the entries' stay.
POSTED_ONCE = "contribution_once_per_employer_month"


def plain_ledger_indexes() -> list[tuple[str, str]]:
    """(name, definition) of the ledger tables' non-unique B-tree indexes over every row, and POSTED_ONCE
    (PostgreSQL). Other partial indexes stay: they hold few rows (development entries, reversals) and crediting
    reads one."""
    with connection.cursor() as cursor:
        cursor.execute(_PLAIN_BTREE_INDEXES, [list(LEDGER_TABLES), POSTED_ONCE])
        # A partitioned table's index reads "ON ONLY": built so, it would cover none of the yearly partitions.
        return [(name, definition.replace(" ON ONLY ", " ON ", 1)) for name, definition in cursor.fetchall()]


@contextmanager
def ledger_indexes_built_after(say: Callable[[str], None]) -> Iterator[int]:
    """Inside the block the ledger's plain B-tree indexes are absent; they are built again on the way out, even
    when the block fails. Yields how many were dropped (0: not PostgreSQL, or the ledger is not empty)."""
    if connection.vendor != "postgresql" or Contribution.objects.exists() or JhtEntry.objects.exists():
        yield 0
        return
    indexes = plain_ledger_indexes()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield len(indexes)
    finally:
        started = time.monotonic()
        statements = [definition.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1) for _n, definition in indexes]
        try:
            _build(statements)
        except Error:
            say("  ledger: the indexes dropped for the seeding could not be built again; build them with:")
            for statement in statements:
                say(f"    {statement};")
            raise
        say(f"  ledger: {len(indexes)} indexes built in {time.monotonic() - started:.1f} s")


def _build(statements: list[str]) -> None:
    """Runs the statements; if they fail because the connection broke (a restarted server, a killed backend), runs
    them once more on a new connection rather than leave a ledger without its indexes (IF NOT EXISTS in each keeps
    what the first attempt built)."""
    try:
        _execute(statements)
    except Error:  # any database error, a connection already closed (InterfaceError) included
        if not _broken():
            raise
        connection.close()
        _execute(statements)


def _broken() -> bool:
    """Whether the connection is lost, as opposed to a statement refused (which, inside an outer transaction,
    leaves the connection unable to run anything until rollback, yet not broken)."""
    raw = connection.connection
    return raw is None or bool(raw.closed) or bool(getattr(raw, "broken", False))


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        # PostgreSQL refuses CREATE INDEX on a table with foreign-key checks pending, which a seeding run inside an
        # outer transaction (a test) leaves behind: run them now, then defer them again as Django declares them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"ANALYZE {', '.join(LEDGER_TABLES)}")


@contextmanager
def commits_not_waiting_for_disk() -> Iterator[None]:
    """Inside the block, every PostgreSQL connection of this process and of the processes it forks commits without
    waiting for its write-ahead log to reach the disk (`synchronous_commit = off`, one of PostgreSQL's own settings
    for a bulk load). Each commit of the seeding's thousands of chunks otherwise waits for a flush, while the other
    processes keep the disk busy with the data. The database stays consistent: a crash of the machine loses at most
    the last moment's commits, and a seeding cut short is started again on an empty database anyway."""

    def no_wait(*, connection: Any, **_kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")

    connection_created.connect(no_wait)
    if connection.connection is not None:
        no_wait(connection=connection)
    try:
        yield
    finally:
        connection_created.disconnect(no_wait)
        if connection.vendor == "postgresql" and connection.connection is not None and not _broken():
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
