"""Set-based SQL helpers that work on PostgreSQL and SQLite: batching, COPY into temporary tables, and
INSERT … ON CONFLICT DO NOTHING for many rows without the ORM's per-object cost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, transaction

LOOKUP_BATCH = 5_000

T = TypeVar("T")


def batched(items: Sequence[T], size: int = LOOKUP_BATCH) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to `size` items, consuming `items` lazily (a million-row file never sits in memory)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_ignoring_conflicts(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], types: dict[str, str] | None = None
) -> None:
    """INSERT … ON CONFLICT DO NOTHING for many rows without the ORM's per-object cost: COPY into a temporary
    table and one INSERT … SELECT on PostgreSQL, executemany on SQLite. `types` gives the PostgreSQL type of
    columns that are not bigint."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stage = f"jk_stage_{table}"
            with transaction.atomic():  # the temporary table lives until the end of the transaction
                stage_table(cursor, stage, columns, types or {})
                copy_rows(cursor, stage, columns, rows)
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ON CONFLICT DO NOTHING"  # noqa: S608
                )
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",  # noqa: S608
            [[adapt(value) for value in row] for row in rows],
        )


def adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def stage_table(cursor: Any, name: str, columns: Sequence[str], types: dict[str, str]) -> None:
    """An empty temporary table (PostgreSQL) for COPY; call inside a transaction, which drops it on commit."""
    quote = connection.ops.quote_name
    column_sql = ", ".join(f"{quote(col)} {types.get(col, 'bigint')}" for col in columns)
    # ON COMMIT DROP cleans up after each chunk's transaction; TRUNCATE covers reuse inside one transaction.
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({column_sql}) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {name}")


def copy_rows(cursor: Any, name: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    # psycopg 3 COPY: the fastest way to hand PostgreSQL many rows.
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def max_params() -> int:
    connection.ensure_connection()
    raw = connection.connection
    if isinstance(raw, sqlite3.Connection):
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 999
