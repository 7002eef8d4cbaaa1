"""Set-based SQL helpers that work on PostgreSQL and SQLite: batching, COPY into temporary tables,
INSERT … ON CONFLICT DO NOTHING for many rows without the ORM's per-object cost, and foreign keys checked once per
batch instead of once per row.

Why foreign keys are checked per batch on PostgreSQL (`foreign_keys_checked_per_batch`): every declared foreign key
is a row-level trigger that runs one `SELECT … FOR KEY SHARE` per inserted row: three a posted contribution (member,
employer, report), two a credited development entry (account, crediting run). Measured at over half the time of the
statement that posted contributions (with a JHT entry beside each, as then) and a quarter of the crediting's. The
constraints stay declared, deferrable and in force for every other writer; only the bulk posting and the yearly
crediting, which already know every id they reference, check them themselves: one set-based query per batch takes
the same KEY SHARE locks (so the referenced rows cannot be deleted before commit, exactly as the triggers guarantee)
and raises IntegrityError naming the missing ids, then the posting's own statements run with
`session_replication_role = replica` (set back right after, and local to the transaction in any case), which is
PostgreSQL's own switch for "these rows are already checked" (pg_restore and logical replication use it). A database
role that may not set it (neither superuser nor granted `SET ON PARAMETER session_replication_role`, PostgreSQL 15+)
keeps the triggers, checked per statement. The switch also silences any other trigger on the tables written in the
block: this project declares none, and one added later must be fired by hand there.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Lookup, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesListIterable

LOOKUP_BATCH = 5_000
# PostgreSQL takes a look-up list as one array parameter (see AnyOf), so its batches can be far larger.
LOOKUP_BATCH_POSTGRESQL = 100_000

T = TypeVar("T")


def batched(items: Sequence[T], size: int | None = None) -> Iterable[Sequence[T]]:
    """Slices of `items` small enough for one look-up query on this database."""
    if size is None:
        size = LOOKUP_BATCH_POSTGRESQL if connection.vendor == "postgresql" else LOOKUP_BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to `size` items, consuming `items` lazily (a million-row file never sits in memory)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class AnyOf(Lookup):  # type: ignore[type-arg]
    """`field IN (values)` for thousands of values: `field = ANY(%s)` with one array parameter on PostgreSQL
    (a 5,000-placeholder IN list costs more to build, send and plan than the look-up itself), IN elsewhere.
    Used as an expression: `Membership.objects.filter(AnyOf(F("kpj"), kpjs))`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", ()
        if connection.vendor == "postgresql":
            literal = _array_literal(values)
            if literal is not None:
                return f"{lhs} = ANY(%s::{literal[0]})", (*lhs_params, literal[1])
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


def rows_for_keys(queryset: QuerySet[Any, Any], field: str, keys: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of `queryset` (a values_list of tuples) whose `field` is one of `keys`, one query per
    `batched` slice: `AnyOf` elsewhere; on PostgreSQL each key is looked up by itself inside the one query, a
    LATERAL subquery per key behind an OFFSET 0 fence, so the plan stays one index probe per key whatever the
    table's size. With `field = ANY(array)` the planner turned a 20,000-KPJ look-up into a parallel scan of
    every membership and person once the registry held 1.6 million memberships: 2.6 times the server CPU of the
    probes (0.57 against 0.22 s per look-up), and for employments 0.28 against 0.09 s (bench/README.md).
    Rows of one key keep the queryset's order."""
    if queryset._iterable_class is not ValuesListIterable:
        raise TypeError("rows_for_keys takes a values_list queryset of tuples")
    for batch in batched(keys):
        literal = _array_literal(list(batch)) if connection.vendor == "postgresql" else None
        if literal is None:
            yield from queryset.filter(AnyOf(F(field), batch))
            continue
        array_type, array = literal
        per_key = queryset.filter(**{field: RawSQL("jk_key.value", ())})
        compiler = per_key.query.get_compiler(using=per_key.db)
        sql, params = compiler.as_sql()
        # the ORM's own SQL and parameters, wrapped
        wrapped = f"SELECT jk_rows.* FROM unnest(%s::{array_type}) AS jk_key(value) CROSS JOIN LATERAL ({sql} OFFSET 0) AS jk_rows"  # noqa: S608, E501
        with connection.cursor() as cursor:
            cursor.execute(wrapped, (array, *params))
            fetched = cursor.fetchall()
        # The rows through the queryset's own converters, as its values_list would give them.
        yield from compiler.results_iter(results=[fetched], tuple_expected=True)


def _array_literal(values: list[Any]) -> tuple[str, str] | None:
    """The PostgreSQL array literal (`{1,2,3}`) and its type for ids or digit strings (KPJ, NPP), which need
    no quoting: joined in C instead of psycopg escaping every element in Python. None for anything else."""
    if all(type(value) is int for value in values):
        return "bigint[]", "{" + ",".join(map(str, values)) + "}"
    if all(type(value) is str and value.isdigit() and value.isascii() for value in values):
        return "text[]", "{" + ",".join(values) + "}"
    return None


def id_array(ids: Iterable[int]) -> str:
    """A PostgreSQL bigint[] literal for a `%s::bigint[]` parameter."""
    return "{" + ",".join(map(str, ids)) + "}"


def insert_ignoring_conflicts(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING for many rows without the ORM's per-object cost: COPY into a temporary
    table and one INSERT … SELECT on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():  # the temporary table lives until the end of the transaction
                stage = _stage_like(cursor, table, columns, rows)
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ON CONFLICT DO NOTHING"  # noqa: S608
                )
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",  # noqa: S608
            [[adapt(value) for value in row] for row in rows],
        )


def reserve_ids(table: str, count: int) -> int:
    """Reserves `count` consecutive primary-key values of `table` for rows a loader inserts with explicit ids, and
    returns the first. PostgreSQL: moves the table's id sequence past them in one statement (another writer's
    nextval could only slip in between inside that statement, and its row would then collide loudly on the primary
    key, never silently); SQLite: the ids after the largest one (it has a single writer), so the rows must be in
    before the next reservation."""
    if count <= 0:
        raise ValueError("count must be positive")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(s, nextval(s) + %s - 1) - %s + 1 FROM pg_get_serial_sequence(%s, 'id') s",
                [count, count, table],
            )
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {quote(table)}")  # noqa: S608
        (first,) = cursor.fetchone()
    return int(first)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A plain INSERT of many rows (conflicts are errors), nothing returned: COPY straight into the table on
    PostgreSQL, multi-row INSERTs in batches elsewhere. For loaders that know their rows' ids (`reserve_ids`)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, quote(table), columns, rows)
            return
        names = ", ".join(quote(column) for column in columns)
        batch = max(1, min(2_000, max_params() // len(columns)))
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for part in chunks(rows, batch):
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES " + ", ".join([placeholder] * len(part)),  # noqa: S608
                [adapt(value) for row in part for value in row],
            )


def _stage_like(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """COPYs `rows` into an empty temporary table with `table`'s types for `columns` (PostgreSQL; inside a
    transaction, which drops it on commit) and returns its name."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    # one staging table per table and column list: a transaction may stage a table with other columns too
    stage = f"jk_stage_{table}_{hashlib.sha1(names.encode(), usedforsecurity=False).hexdigest()[:8]}"
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {names} FROM {quote(table)} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {stage}")
    copy_rows(cursor, stage, columns, rows)
    return stage


def adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def stage_table(
    cursor: Any, name: str, columns: Sequence[str], types: dict[str, str], defaults: dict[str, str] | None = None
) -> None:
    """An empty temporary table (PostgreSQL) for COPY; call inside a transaction, which drops it on commit.
    `defaults` adds columns the COPY leaves out, each with its DEFAULT expression (a bigint)."""
    quote = connection.ops.quote_name
    column_sql = ", ".join(
        [f"{quote(col)} {types.get(col, 'bigint')}" for col in columns]
        + [f"{quote(col)} bigint DEFAULT {expression}" for col, expression in (defaults or {}).items()]
    )
    # ON COMMIT DROP cleans up after each chunk's transaction; TRUNCATE covers reuse inside one transaction.
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({column_sql}) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {name}")


def copy_rows(
    cursor: Any,
    name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    binary_types: Sequence[str] | None = None,
) -> None:
    """psycopg 3 COPY: the fastest way to hand PostgreSQL many rows. With `binary_types` (PostgreSQL type names,
    one per column: int8, int2, date) the rows travel in binary: for the posting's 20-column rows, measured at
    10 against 40 ms of Python for 20,000 rows, and less parsing in the server."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    binary = " (FORMAT BINARY)" if binary_types is not None else ""
    # Django's database errors, as from cursor.execute: a refused row is an IntegrityError like any other.
    with connection.wrap_database_errors, cursor.copy(f"COPY {name} ({names}) FROM STDIN{binary}") as copy:
        if binary_types is not None:
            copy.set_types(list(binary_types))
        for row in rows:
            copy.write_row(row)


@contextmanager
def foreign_keys_checked_per_statement() -> Iterator[None]:
    """On PostgreSQL, checks foreign keys at the end of each statement in the block instead of at commit.

    The checks are the same, only their moment changes. Django creates every foreign key DEFERRABLE INITIALLY
    DEFERRED (and this project declares no other deferrable constraint), so after the block they are deferred
    again, as for the rest of the transaction. Measured on a million-row posting, PostgreSQL 15 runs the checks
    about three times faster per statement than from the deferred-trigger queue at commit. Other databases:
    nothing to do."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield  # on an error the transaction is aborted and rolled back: nothing to restore
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@dataclass(frozen=True, slots=True)
class References:
    """Ids that rows about to be inserted point at, in `table` (its primary key)."""

    table: str
    ids: Collection[int]


@contextmanager
def foreign_keys_checked_per_batch(references: Sequence[References]) -> Iterator[None]:
    """On PostgreSQL, for the block: checks that every referenced id exists with one query per batch, holding
    the KEY SHARE row locks a foreign-key trigger would take, then turns the row-by-row triggers off for the
    block (see the module docstring). Without the privilege to do so, the triggers stay on, checked per
    statement. Other databases: nothing to do (SQLite checks at commit). Call inside a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    # has_parameter_privilege is PostgreSQL 15+; before that only a superuser may set the role.
    granted = "has_parameter_privilege('session_replication_role', 'SET')"
    if getattr(connection, "pg_version", 0) < 150000:
        granted = "false"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT current_setting('session_replication_role'), current_setting('is_superuser') = 'on' OR {granted}"
        )
        previous, may_skip = cursor.fetchone()
    if not may_skip:
        with foreign_keys_checked_per_statement():
            yield
        return
    lock_referenced(references)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # on an error the transaction is rolled back, and SET LOCAL with it
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])


def lock_referenced(references: Sequence[References]) -> None:
    """Takes a KEY SHARE lock on every referenced row, in one query, and raises IntegrityError if any is
    missing (PostgreSQL)."""
    wanted = [(ref.table, sorted(set(ref.ids))) for ref in references if ref.ids]
    if not wanted:
        return
    quote = connection.ops.quote_name
    ctes = ", ".join(
        f"r{n} AS (SELECT id FROM {quote(table)} WHERE id = ANY(%s::bigint[]) FOR KEY SHARE)"  # noqa: S608
        for n, (table, _ids) in enumerate(wanted)
    )
    counts = ", ".join(f"(SELECT count(*) FROM r{n})" for n in range(len(wanted)))  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} SELECT {counts}", [id_array(ids) for _table, ids in wanted])
        found = cursor.fetchone()
        for (table, ids), count in zip(wanted, found, strict=True):
            if count == len(ids):
                continue
            cursor.execute(f"SELECT id FROM {quote(table)} WHERE id = ANY(%s::bigint[])", [id_array(ids)])  # noqa: S608
            missing = sorted(set(ids) - {row[0] for row in cursor.fetchall()})
            raise IntegrityError(
                f"foreign key checked per batch: {len(missing)} referenced id(s) not in {table}: "
                + ", ".join(map(str, missing[:10]))
                + (" …" if len(missing) > 10 else "")
            )


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a row for a unique constraint (PostgreSQL's SQLSTATE 23505)."""
    return getattr(exc.__cause__, "sqlstate", None) == "23505"


def max_params() -> int:
    connection.ensure_connection()
    raw = connection.connection
    if isinstance(raw, sqlite3.Connection):
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 999


@contextmanager
def planner_settings(cursor: Any, **settings: str) -> Iterator[None]:
    """PostgreSQL server settings (`work_mem`, `enable_nestloop`, …) for the statements of the block only, set back
    to what they were after it (and local to the transaction in any case, like SET LOCAL)."""
    names = list(settings)
    cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
    previous = cursor.fetchone()
    for name, value in settings.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield  # on an error the transaction is rolled back, and the settings with it
    for name, value in zip(names, previous, strict=True):
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
