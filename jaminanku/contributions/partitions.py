"""The JHT ledger partitioned by year on PostgreSQL: contributions by `period`, JHT entries by `value_date`, one
partition per calendar year in each table (named `<table>_y<year>`) plus a DEFAULT partition, so no insert ever
fails for want of a partition. A month's posting and a year's crediting touch one partition of each table, a
member's statement reads every partition through its (account or membership, date) index, and a closed year can
be detached (and attached again) as a plain table. SQLite keeps the plain tables.

PostgreSQL wants every unique key of a partitioned table to include the partition key, so each becomes its
equivalent with the key added, and what makes it equivalent is enforced too:
- the primary keys are (id, period) and (id, value_date); ids still come from one sequence per table;
- an entry reverses at most once: UNIQUE (reverses_id, value_date), with the foreign key (reverses_id,
  value_date) -> (id, value_date) — a reversal keeps its value date, so it sits in the partition of what it
  reverses and the key is declared partition to partition;
- a contribution is reversed at most once: UNIQUE (contribution_id, value_date), with (contribution_id,
  value_date) -> contribution (id, period), again partition to partition of the same year;
- a year is credited once per account: a development entry is dated within its year (a check; crediting dates it
  31 December, a correction by hand may be dated earlier in the year), so all of an account's developments of one
  year sit in one partition, and each partition has its own UNIQUE (account_id, year) where development;
- a paid claim's entry: the claims' foreign key becomes (entry_id, paid_on) -> entry (id, value_date): the entry
  is dated the day the claim is paid, and the claims' own check `claim_entry_iff_paid` already says a claim with
  an entry has its paid_on, so the key is checked whenever entry_id is set.
The keys between partitions of one year (not to the parent) are what let a year be detached: PostgreSQL refuses
to detach a partition that a key on the parent still points into. The claims' key is on the parent (a claim is
paid in any year); `detach_year` says how a year with paid claims is detached all the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from jaminanku.core import table_locks

# The year partitions a new (empty) ledger starts with: JHT under BPJS Ketenagakerjaan began in 2014–2015, and
# older lines, if any arrive, go to the DEFAULT partition.
FIRST_YEAR = 2014
AHEAD = 2  # years after the current one that have their partition ready


@dataclass(frozen=True)
class Ledger:
    table: str
    key: str


CONTRIBUTIONS = Ledger("contributions_contribution", "period")
ENTRIES = Ledger("contributions_jhtentry", "value_date")
TABLES = (CONTRIBUTIONS, ENTRIES)  # in this order: the entries point at the contributions
CLAIMS = "claims_jhtclaim"
CLAIM_ENTRY_FK = "claims_jhtclaim_entry_paid_on_fk"
DEVELOPMENT_DATED = "development_dated_in_its_year"
DEVELOPMENT_ONCE = "development_once_per_year"


def partition_name(ledger: Ledger, year: int | None) -> str:
    return f"{ledger.table}_default" if year is None else f"{ledger.table}_y{year}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fetch(cursor: Any, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, list(params))
    return list(cursor.fetchall())


def is_partitioned(cursor: Any, table: str) -> bool:
    rows = _fetch(cursor, "SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    return bool(rows) and rows[0][0] == "p"


def _bounds(year: int) -> str:
    return f"FOR VALUES FROM ('{year:04d}-01-01') TO ('{year + 1:04d}-01-01')"


def _local_keys(cursor: Any, year: int | None) -> None:
    """The keys between the entries and contributions partitions of one year, and the once-a-year development
    key within it (see the module docstring)."""
    entries, contributions = partition_name(ENTRIES, year), partition_name(CONTRIBUTIONS, year)
    cursor.execute(
        f"CREATE UNIQUE INDEX {_q(entries + '_development_once')} ON {_q(entries)} (account_id, year) "
        "WHERE kind = 'development'"
    )
    cursor.execute(
        f"ALTER TABLE {_q(entries)} ADD CONSTRAINT {_q(entries + '_reverses_fk')} "
        f"FOREIGN KEY (reverses_id, value_date) REFERENCES {_q(entries)} (id, value_date) "
        "DEFERRABLE INITIALLY DEFERRED"
    )
    cursor.execute(
        f"ALTER TABLE {_q(entries)} ADD CONSTRAINT {_q(entries + '_contribution_fk')} "
        f"FOREIGN KEY (contribution_id, value_date) REFERENCES {_q(contributions)} (id, period) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def _with_key(definition: str, key: str) -> str:
    """A unique index definition with the partition key added to its columns (if it is not there)."""
    match = re.search(r" USING (\w+) \((.*?)\)( WHERE .*)?$", definition)
    if match is None:
        raise ValueError(f"unexpected index definition: {definition}")
    columns = [c.strip() for c in match.group(2).split(",")]
    if key not in columns:
        columns.append(key)
    return definition[: match.start()] + f" USING {match.group(1)} ({', '.join(columns)})" + (match.group(3) or "")


def _shape(cursor: Any, table: str) -> tuple[list[tuple[str, str, str, bool]], list[tuple[str, str, bool]]]:
    """(name, definition, constraint type or '', is unique) of each index and (name, definition, refers to a
    ledger table) of each foreign key of `table`."""
    indexes = _fetch(
        cursor,
        """SELECT c.relname, pg_get_indexdef(i.indexrelid), COALESCE(k.contype, ''), i.indisunique
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           LEFT JOIN pg_constraint k
             ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u')
           WHERE i.indrelid = to_regclass(%s) ORDER BY c.relname""",
        [table],
    )
    keys = _fetch(
        cursor,
        """SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text = ANY(%s)
           FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname""",
        [[t.table for t in TABLES], table],
    )
    return [(n, d, t, u) for n, d, t, u in indexes], [(n, d, o) for n, d, o in keys]


def ledger_years(cursor: Any, today: date) -> list[int]:
    """The years that get a partition: FIRST_YEAR (or the first year with a line) to AHEAD years from now."""
    first, last = FIRST_YEAR, today.year + AHEAD
    for ledger in TABLES:
        (low, high) = _fetch(cursor, f"SELECT MIN({ledger.key}), MAX({ledger.key}) FROM {_q(ledger.table)}")[0]  # noqa: S608
        if low is not None:
            first, last = min(first, low.year), max(last, high.year)
    return list(range(first, last + 1))


_UNKNOWN_KEYS = """
    SELECT conrelid::regclass::text, conname FROM pg_constraint
    WHERE contype = 'f' AND confrelid = ANY(ARRAY[to_regclass(%s), to_regclass(%s)])
      AND conrelid::regclass::text <> ALL(%s)
      AND NOT (conrelid = to_regclass(%s) AND conkey = ARRAY[
        (SELECT attnum FROM pg_attribute WHERE attrelid = conrelid AND attname = 'entry_id')])
"""


def partition_ledger(cursor: Any, today: date) -> dict[str, int]:
    """Turns the plain ledger tables into partitioned ones holding the same rows (ids, sequences, indexes, checks
    and keys kept, uniques widened as the module docstring says). One transaction, the caller's, in two steps:
    the partitioned tables are built beside the plain ones while writes to the ledger and the claims wait and
    reads go on; then, locked against reads too for a moment, the names are swapped and the plain tables dropped.
    Returns the rows copied per table."""
    unknown = _fetch(cursor, _UNKNOWN_KEYS, [CONTRIBUTIONS.table, ENTRIES.table, [t.table for t in TABLES], CLAIMS])
    if unknown:  # a key this conversion would silently drop
        raise RuntimeError(f"foreign keys into the ledger that the partitioning does not know: {unknown}")
    # Before the lock (a scan of each table): a line of an earlier year written meanwhile would go to DEFAULT.
    years = ledger_years(cursor, today)
    locked = f"{', '.join(_q(t.table) for t in TABLES)}, {_q(CLAIMS)}"
    cursor.execute(f"LOCK TABLE {locked} IN EXCLUSIVE MODE")
    # The index builds sort each partition in memory rather than on disk (as the seeding's rebuild does).
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    built = {ledger: _build_partitioned(cursor, ledger, years) for ledger in TABLES}
    for year in [*years, None]:
        _local_keys(cursor, year)
    _claim_key(cursor, _building(ENTRIES))
    cursor.execute(f"ANALYZE {', '.join(_q(_building(t)) for t in TABLES)}")
    cursor.execute(f"LOCK TABLE {locked} IN ACCESS EXCLUSIVE MODE")
    for ledger in TABLES:
        _swap(cursor, ledger, built[ledger][1])
    old = [_q(ledger.table + "_unpartitioned") for ledger in reversed(TABLES)]
    cursor.execute(f"DROP TABLE {', '.join(old)} CASCADE")
    return {ledger.table: rows for ledger, (rows, _indexes) in built.items()}


def _building(ledger: Ledger) -> str:
    return ledger.table + "_partitioned"


def _build_partitioned(cursor: Any, ledger: Ledger, years: list[int]) -> tuple[int, list[str]]:
    """Creates `ledger`'s partitioned table beside the plain one (`<table>_partitioned`, its indexes named with a
    `_p` suffix until the swap) with its partitions, copies the rows, then builds the indexes and the keys to
    other tables. Returns the rows copied and the names of the plain table's indexes."""
    table, key, new = ledger.table, ledger.key, _building(ledger)
    indexes, keys = _shape(cursor, table)
    cursor.execute(
        f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) "
        f"PARTITION BY RANGE ({key})"
    )
    # Ids go on from where the plain table's identity left them (PostgreSQL 15 has no identity on a partitioned
    # table); no row is written meanwhile, the lock holds the writers.
    sequence = _fetch(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [table])[0][0]
    cursor.execute(f"CREATE SEQUENCE {_q(new + '_id_seq')} OWNED BY {_q(new)}.id")
    cursor.execute(f"SELECT setval(%s, last_value, is_called) FROM {sequence}", [new + "_id_seq"])  # noqa: S608
    cursor.execute(f"ALTER TABLE {_q(new)} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)", [new + "_id_seq"])
    for year in years:
        cursor.execute(f"CREATE TABLE {_q(partition_name(ledger, year))} PARTITION OF {_q(new)} {_bounds(year)}")
    cursor.execute(f"CREATE TABLE {_q(partition_name(ledger, None))} PARTITION OF {_q(new)} DEFAULT")
    cursor.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")  # noqa: S608
    copied = int(cursor.rowcount)
    # Built after the copy, each in one sorted pass per partition.
    for name, definition, contype, unique in indexes:
        if contype == "p":
            cursor.execute(f"ALTER TABLE {_q(new)} ADD CONSTRAINT {_q(name + '_p')} PRIMARY KEY (id, {key})")
        elif contype == "u":
            columns = definition[definition.index("(") + 1 : definition.rindex(")")]
            cursor.execute(f"ALTER TABLE {_q(new)} ADD CONSTRAINT {_q(name + '_p')} UNIQUE ({columns}, {key})")
        elif name == DEVELOPMENT_ONCE:
            continue  # one per partition (`_local_keys`)
        else:
            moved = definition.replace(f" INDEX {name} ON ", f" INDEX {name}_p ON ", 1)
            moved = moved.replace(f".{table} USING ", f".{new} USING ", 1)
            cursor.execute(_with_key(moved, key) if unique else moved)
    for name, definition, within_ledger in keys:
        if not within_ledger:  # the keys within the ledger become keys between partitions
            cursor.execute(f"ALTER TABLE {_q(new)} ADD CONSTRAINT {_q(name)} {definition}")
    if ledger is ENTRIES:
        cursor.execute(
            f"ALTER TABLE {_q(new)} ADD CONSTRAINT {DEVELOPMENT_DATED} "
            "CHECK (kind <> 'development' OR (value_date >= make_date(year, 1, 1) "
            "AND value_date < make_date(year + 1, 1, 1)))"
        )
    return copied, [name for name, *_rest in indexes if name != DEVELOPMENT_ONCE]


def _swap(cursor: Any, ledger: Ledger, index_names: list[str]) -> None:
    """The plain table and its indexes and sequence step aside (`_unpartitioned`), the partitioned ones take
    their names: catalogue changes only."""
    table, new, old = ledger.table, _building(ledger), ledger.table + "_unpartitioned"
    sequence = _fetch(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [table])[0][0]
    cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(old + '_id_seq')}")
    for number, name in enumerate(index_names):
        cursor.execute(f"ALTER INDEX {_q(name)} RENAME TO {_q(f'{name[:40]}_{number}_unpartitioned')}")
    cursor.execute(f"DROP INDEX IF EXISTS {_q(DEVELOPMENT_ONCE)}")  # the plain table's, replaced per partition
    cursor.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
    cursor.execute(f"ALTER SEQUENCE {_q(new + '_id_seq')} RENAME TO {_q(table + '_id_seq')}")
    for name in index_names:
        cursor.execute(f"ALTER INDEX {_q(name + '_p')} RENAME TO {_q(name)}")


def _claim_key(cursor: Any, entries: str, *, not_valid: bool = False) -> None:
    cursor.execute(
        f"ALTER TABLE {_q(CLAIMS)} ADD CONSTRAINT {CLAIM_ENTRY_FK} FOREIGN KEY (entry_id, paid_on) "
        f"REFERENCES {_q(entries)} (id, value_date) DEFERRABLE INITIALLY DEFERRED" + (" NOT VALID" if not_valid else "")
    )


def copy_out(cursor: Any) -> None:
    """The first half of undoing `partition_ledger`: the rows go to temporary tables and the partitioned tables
    (with the claims' key into them) are dropped; the caller creates the plain tables and calls `copy_back`."""
    cursor.execute(f"ALTER TABLE {_q(CLAIMS)} DROP CONSTRAINT IF EXISTS {CLAIM_ENTRY_FK}")
    for ledger in TABLES:
        cursor.execute(f"CREATE TEMPORARY TABLE {_q(ledger.table + '_rows')} AS SELECT * FROM {_q(ledger.table)}")  # noqa: S608
    cursor.execute(f"DROP TABLE {_q(ENTRIES.table)}, {_q(CONTRIBUTIONS.table)} CASCADE")


def copy_back(cursor: Any) -> None:
    for ledger in TABLES:
        columns = ", ".join(
            _q(row[0])
            for row in _fetch(
                cursor,
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                [ledger.table],
            )
        )
        cursor.execute(
            f"INSERT INTO {_q(ledger.table)} ({columns}) SELECT {columns} FROM {_q(ledger.table + '_rows')}"  # noqa: S608
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {_q(ledger.table)}",  # noqa: S608
            [ledger.table],
        )
        cursor.execute(f"DROP TABLE {_q(ledger.table + '_rows')}")


# --- the yearly partitions of a partitioned ledger (`manage.py ledger_partitions`) ---


def partitions(cursor: Any) -> list[tuple[str, str, str]]:
    """(table, partition, bounds) of every partition attached to the ledger tables, in order."""
    return [
        (parent, child, bounds)
        for parent, child, bounds in _fetch(
            cursor,
            """SELECT p.relname, c.relname, pg_get_expr(c.relpartbound, c.oid)
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
               WHERE p.oid = ANY(ARRAY[to_regclass(%s), to_regclass(%s)]) ORDER BY p.relname, c.relname""",
            [CONTRIBUTIONS.table, ENTRIES.table],
        )
    ]


def _attached(cursor: Any, ledger: Ledger, year: int) -> bool:
    name = partition_name(ledger, year)
    return any(child == name for _parent, child, _bounds in partitions(cursor))


def _exists(cursor: Any, name: str) -> bool:
    return _fetch(cursor, "SELECT to_regclass(%s) IS NOT NULL", [name])[0][0]


def create_year(cursor: Any, year: int, *, patience: float = table_locks.PATIENCE_SECONDS) -> bool:
    """Creates `year`'s partition in both tables (False if they exist). Lines of that year that went to the
    DEFAULT partition meanwhile are moved into it in the same transaction (the keys are deferred, so the lines
    and the claims that point at them agree again by the commit). The tables' lock is taken in tries
    (`core.table_locks`: the member's reads do not queue behind it for long), `DatabaseBusy` after `patience`
    seconds."""
    if _attached(cursor, CONTRIBUTIONS, year) and _attached(cursor, ENTRIES, year):
        return False
    parents = [t.table for t in TABLES]
    table_locks.lock_tables_briefly(cursor, parents, "ACCESS EXCLUSIVE", only=parents, patience=patience)
    # Again under the lock: two runs at once (two cron hosts, or a cron and a deploy) both found the year missing
    # above, and the one that waited for the lock finds it made by the other (both tables: one transaction makes
    # them).
    if _attached(cursor, CONTRIBUTIONS, year) and _attached(cursor, ENTRIES, year):
        return False
    moved = _out_of_default(cursor, year)
    for ledger in TABLES:
        cursor.execute(
            f"CREATE TABLE {_q(partition_name(ledger, year))} PARTITION OF {_q(ledger.table)} {_bounds(year)}"
        )
    _local_keys(cursor, year)  # before the rows: PostgreSQL alters no table with key checks pending
    _into_year(cursor, year, moved)
    return True


def _out_of_default(cursor: Any, year: int) -> dict[Ledger, str]:
    """Takes `year`'s lines out of the DEFAULT partitions into temporary tables, returned by ledger, to go into
    the year's own partitions once they are there (`_into_year`)."""
    low, high = date(year, 1, 1), date(year + 1, 1, 1)
    moved = {}
    for ledger in reversed(TABLES):  # entries out first, they point at the contributions
        held, default = _q(f"{ledger.table}_moving"), _q(partition_name(ledger, None))
        cursor.execute(f"CREATE TEMPORARY TABLE {held} (LIKE {default})")
        cursor.execute(
            f"WITH gone AS (DELETE FROM {default} WHERE {ledger.key} >= %s AND {ledger.key} < %s RETURNING *) "  # noqa: S608
            f"INSERT INTO {held} SELECT * FROM gone",
            [low, high],
        )
        moved[ledger] = held
    return moved


def _into_year(cursor: Any, year: int, moved: dict[Ledger, str]) -> None:
    for ledger in TABLES:
        cursor.execute(f"INSERT INTO {_q(partition_name(ledger, year))} SELECT * FROM {moved[ledger]}")  # noqa: S608
        cursor.execute(f"DROP TABLE {moved[ledger]}")


def create_years(cursor: Any, years: Iterable[int], *, patience: float = table_locks.PATIENCE_SECONDS) -> list[int]:
    """Creates the partitions of `years` that are missing; returns the years made."""
    return [year for year in years if create_year(cursor, year, patience=patience)]


def create_ahead(
    cursor: Any, today: date, ahead: int = AHEAD, *, patience: float = table_locks.PATIENCE_SECONDS
) -> list[int]:
    """Creates the partitions of this year and the `ahead` next ones that are missing; returns the years made."""
    return create_years(cursor, range(today.year, today.year + ahead + 1), patience=patience)


def detach_year(cursor: Any, year: int) -> None:
    """Detaches `year`'s partitions from both tables: they stay as plain tables (`<table>_y<year>`, keys between
    them kept) to be dumped and archived or attached again.

    Every year has paid claims, and PostgreSQL refuses to detach a partition that a key on the parent still points
    into: the claims' key would keep every year in place for good. So the key is declared again NOT VALID around
    the detach: the claims of the archived year keep their entry's id and day, pointing into the archive, and
    every claim paid or changed from then on is checked as before (a NOT VALID key skips only the rows already
    there). `validate_claims_key` validates it again once no year is detached."""
    cursor.execute(f"ALTER TABLE {_q(CLAIMS)} DROP CONSTRAINT {CLAIM_ENTRY_FK}")
    for ledger in reversed(TABLES):
        cursor.execute(f"ALTER TABLE {_q(ledger.table)} DETACH PARTITION {_q(partition_name(ledger, year))}")
    _claim_key(cursor, ENTRIES.table, not_valid=True)


def attach_year(cursor: Any, year: int, *, patience: float = table_locks.PATIENCE_SECONDS) -> None:
    """Attaches a detached year again (contributions first: the entries' keys point at them). Lines of the year
    written while it was detached went to the DEFAULT partition (a late wage report, say), which ATTACH would
    refuse: they are moved into the year, as `create_year` does. The claims' key stays NOT VALID
    (`validate_claims_key`, once no year is detached or dropped any more).

    ATTACH locks the DEFAULT partitions, which every read of a member's whole ledger goes through, and checks that
    each row of the table is of that year: a scan that the reads would wait for (0.2 s for 2016's 2.4 million
    contributions at 1,000,000 persons; a national year holds some 60 times as many). A CHECK of the year's
    bounds on each table, added before the lock (the same scan, on tables no one reads), proves it instead, and
    stays: it is the partition's own bound. The lock itself is taken in tries (`core.table_locks`)."""
    for ledger in TABLES:
        table, bound = _q(partition_name(ledger, year)), _q(f"{partition_name(ledger, year)}_bounds")
        low, high = (f"'{y:04d}-01-01'::date" for y in (year, year + 1))
        cursor.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {bound}, ADD CONSTRAINT {bound} "
            f"CHECK ({ledger.key} IS NOT NULL AND {ledger.key} >= {low} AND {ledger.key} < {high})"
        )
    defaults = [partition_name(ledger, None) for ledger in TABLES]
    table_locks.lock_tables_briefly(cursor, defaults, "ACCESS EXCLUSIVE", patience=patience)
    moved = _out_of_default(cursor, year)
    for ledger in TABLES:
        cursor.execute(
            f"ALTER TABLE {_q(ledger.table)} ATTACH PARTITION {_q(partition_name(ledger, year))} {_bounds(year)}"
        )
    _into_year(cursor, year, moved)


def validate_claims_key(cursor: Any) -> None:
    """Validates the claims' key into the entries: every paid claim's entry is there (one pass over the claims)."""
    cursor.execute(f"ALTER TABLE {_q(CLAIMS)} VALIDATE CONSTRAINT {CLAIM_ENTRY_FK}")


def drop_detached_year(cursor: Any, year: int) -> None:
    """Drops a detached year's two plain tables for good: the keys between them go with them, and no other table
    has a key into them (the claims' key is on the parent and NOT VALID since the detach)."""
    cursor.execute(f"DROP TABLE {', '.join(_q(partition_name(ledger, year)) for ledger in reversed(TABLES))}")


def detached_years(cursor: Any) -> list[int]:
    """The years whose entries partition is a plain table now (detached, not yet attached again)."""
    cursor.execute(
        """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ %s""",
        [rf"^{re.escape(ENTRIES.table)}_y[0-9]{{4}}$"],
    )
    return sorted(int(name[-4:]) for (name,) in cursor.fetchall())


__all__ = [
    "AHEAD",
    "CONTRIBUTIONS",
    "ENTRIES",
    "FIRST_YEAR",
    "attach_year",
    "copy_back",
    "copy_out",
    "create_ahead",
    "create_year",
    "create_years",
    "detach_year",
    "detached_years",
    "drop_detached_year",
    "is_partitioned",
    "partition_ledger",
    "partition_name",
    "partitions",
    "validate_claims_key",
]
