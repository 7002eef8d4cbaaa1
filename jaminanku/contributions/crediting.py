"""Yearly JHT development crediting (hasil pengembangan), set-based and idempotent.

Method (RULES.md, decision): development_Y = round_half_up(rate_Y × (opening_Y + Σ c_m × (12 − m)/12
− Σ claim_m × (12 − m + 1)/12)). In integers: round_half_up(rate_ppm × base12 / 12,000,000) with
base12 = 12 × opening + Σ c_m × (12 − m) − Σ claim_m × (13 − m), where opening is every ledger line dated before 1
January Y, c_m the contribution (and development) components dated in month m of Y — a contribution is dated
the first day of its period — and claim_m the claims paid in month m. Claims are stored negative, so the claim
term is added. A reversal carries the date and components of what it reverses, so it undoes exactly the
weighting it reverses. A negative base12 (a claim in the same month as the contribution it paid out) credits
nothing. Development is dated 31 December Y, so it earns from the next year (compounding).

How it is computed: an account's balance is the sum of its ledger lines — entries and contributions,
`ledger.ledger_lines_sql` (`reconcile_ledger` proves it) — and the accounts of a chunk are locked while it is
credited, so opening = balance − Σ lines dated on or after 1 January Y. Only those lines are read — the latest
year or two of the ledger: on PostgreSQL the partitions of those years (migration 0011), a chunk's contributions
one range of their (membership, period) index — plus the account rows, so the cost does not grow with the
years of history.

Accounts are processed in chunks of membership ids, each chunk one transaction: an INSERT … SELECT over the
accounts and the aggregate of their recent lines, leaving out the accounts already credited for the year (their
development is among those lines), with the partial unique (account, year) of development rows as the guard
(ON CONFLICT DO NOTHING when it refuses a row), then an UPDATE of the accounts from the rows this run inserted.
Re-running a year, or two runs racing, credits nothing twice.

Known limit: a contribution for year Y posted after Y was credited earns no development for Y (it is in the
opening balance of Y + 1 onwards); a correction for Y is a manual entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.contributions.ledger import ledger_lines_sql
from jaminanku.contributions.models import Account, Contribution, CreditingRun, DevelopmentRate, JhtEntry
from jaminanku.core.bulk import References, foreign_keys_checked_per_batch, is_unique_violation
from jaminanku.core.errors import DomainError
from jaminanku.core.money import PPM

# Membership ids per chunk. A chunk reads only its own contributions (`_bases_postgresql`), but the year's entries
# are hashed once per chunk, and each chunk's statements pay their own planning, locking and joins: at 1,000,000
# persons (1.6 million accounts, tables vacuumed before each run) a year took 48–60 s in chunks of 50,000, 37 s
# in chunks of 250,000 and 32–35 s in one chunk (bench/README.md, 2026-12-07). Smaller chunks hold each account's
# lock (and the posting or claim payment that waits for it) for less time: 250,000 holds them about 6 s.
CHUNK_ACCOUNTS = 250_000


def _recent_lines_query(*, year: int, low: int, high: int) -> tuple[str, list[Any]]:
    """Per account of the memberships low..high that has ledger lines dated on or after 1 January `year` (entries,
    and contributions of those periods): `adjust`, what those lines add to 12 × balance to make base12 (their
    weight in `year` minus the 12 × amount that takes them out of the opening balance), and `credited`, 1 when
    `year` is already credited (its development is dated 31 December, so it is among these lines)."""
    ops = connection.ops
    account = Account._meta.db_table
    month, month_params = ops.date_extract_sql("month", "value_date", ())
    jan1 = ops.adapt_datefield_value(date(year, 1, 1))
    lines = ledger_lines_sql(
        entries_where=f"""e.account_id IN (SELECT id FROM {account} WHERE membership_id >= %s AND membership_id <= %s)
            AND e.value_date >= %s""",  # noqa: S608 - the table name from model metadata
        contributions_where="c.membership_id >= %s AND c.membership_id <= %s AND c.period >= %s",
    )
    sql = f"""
        SELECT account_id, CAST(SUM(CASE WHEN value_date <= %s
            THEN (employer_amount + worker_amount + development_amount) * (12 - {month})
                 + claim_amount * (13 - {month}) - 12 * amount
            ELSE -12 * amount END) AS BIGINT) AS adjust,
            MAX(CASE WHEN kind = %s AND value_date = %s THEN 1 ELSE 0 END) AS credited
        FROM ({lines}) recent GROUP BY account_id
    """  # noqa: S608 - SQL from ledger_lines_sql and the backend's operations, values are parameters
    dec31 = ops.adapt_datefield_value(date(year, 12, 31))
    params = [dec31, *month_params, *month_params, JhtEntry.Kind.DEVELOPMENT.value, dec31]
    return sql, [*params, low, high, jan1, low, high, jan1]


def _bases_postgresql() -> str:
    """Per account of the memberships low..high not yet credited for the year: base12 (module docstring), as
    `_recent_lines_query` and the chunk's insert make it elsewhere, the same sums to the rupiah, cheaper per line
    (a year's lines are read for every account, 330,000 at 20,000 persons): the entries and the contributions are
    aggregated each by itself instead of through the ledger's union (a contribution's weight, the general formula
    with no development or claim part, is minus its month in the year, 12 after it), the contributions per
    membership rather than joined to their accounts line by line, and the month comes from date_part as an
    integer where EXTRACT gives a numeric, whose arithmetic took half the aggregate's time. Named parameters:
    dec31, jan1, development, low, high, and accounts: the ids of the chunk's accounts.

    A chunk is a range of membership ids, not of account ids, so that its contributions are one range of the
    (membership, period) index in each year's partition: a run in many chunks (32 at a million persons) reads
    each of the year's contributions once in all, where chunks of account ids (which do not follow membership
    ids: an account is made at a member's first contribution) read the whole year again in every chunk, or
    looked each account up in every partition (measured in bench/README.md). One chunk of everything reads the
    year's partitions through. The entries are joined to the chunk's account ids as a list (`unnest` of a
    constant array, whose length the planner knows): a small chunk looks its accounts' entries up by the
    (account, value date) index, a large one scans the year's entries and hashes, where a condition on the
    accounts' memberships was estimated from statistics and scanned the year's entries for every small chunk."""
    entry, contribution, account = (model._meta.db_table for model in (JhtEntry, Contribution, Account))

    def month(column: str) -> str:
        return f"date_part('month', {column})::integer"

    return f"""
        SELECT a.id AS account_id, 12 * a.balance + COALESCE(e.adjust, 0) + COALESCE(c.adjust, 0) AS base12
        FROM {account} a
        LEFT JOIN (
            SELECT y.account_id, CAST(SUM(CASE WHEN y.value_date <= %(dec31)s
                    THEN (y.employer_amount + y.worker_amount + y.development_amount) * (12 - {month("y.value_date")})
                         + y.claim_amount * (13 - {month("y.value_date")}) - 12 * y.amount
                    ELSE -12 * y.amount END) AS BIGINT) AS adjust,
                MAX(CASE WHEN y.kind = %(development)s AND y.value_date = %(dec31)s THEN 1 ELSE 0 END) AS credited
            FROM {entry} y JOIN unnest(%(accounts)s::bigint[]) k(id) ON k.id = y.account_id
            WHERE y.value_date >= %(jan1)s
            GROUP BY y.account_id
        ) e ON e.account_id = a.id
        LEFT JOIN (
            SELECT membership_id, -CAST(SUM((jht_employer + jht_worker)
                * CASE WHEN period <= %(dec31)s THEN {month("period")} ELSE 12 END) AS BIGINT) AS adjust
            FROM {contribution}
            WHERE membership_id >= %(low)s AND membership_id <= %(high)s AND period >= %(jan1)s
              AND (jht_employer <> 0 OR jht_worker <> 0)
            GROUP BY membership_id
        ) c ON c.membership_id = a.membership_id
        WHERE a.membership_id >= %(low)s AND a.membership_id <= %(high)s AND COALESCE(e.credited, 0) = 0
    """  # noqa: S608 - table names from model metadata, values are parameters


def _credit_chunk(run: CreditingRun, *, low: int, high: int, now: Any) -> None:
    """Credits the accounts of the memberships low..high (`_bases_postgresql` says why memberships)."""
    entry = JhtEntry._meta.db_table
    account = Account._meta.db_table
    recent_sql, recent_params = _recent_lines_query(year=run.year, low=low, high=high)
    half, divisor = 6 * PPM, 12 * PPM
    postgresql = connection.vendor == "postgresql"
    insert = f"""
        INSERT INTO {entry} (account_id, kind, value_date, year, employer_amount, worker_amount,
                             development_amount, claim_amount, amount, crediting_run_id, note, created_at)
        SELECT d.account_id, %s, %s, %s, 0, 0, d.development, 0, d.development, %s, '', %s
        FROM (
            SELECT b.account_id AS account_id, (%s * b.base12 + {half}) / {divisor} AS development
            FROM (
                SELECT a.id AS account_id, 12 * a.balance + COALESCE(y.adjust, 0) AS base12
                FROM {account} a LEFT JOIN ({recent_sql}) y ON y.account_id = a.id
                WHERE a.membership_id >= %s AND a.membership_id <= %s AND COALESCE(y.credited, 0) = 0
            ) b
            WHERE b.base12 > 0
        ) d
        WHERE d.development > 0
    """  # noqa: S608 - table names from model metadata, values are parameters
    params = [
        JhtEntry.Kind.DEVELOPMENT.value,
        connection.ops.adapt_datefield_value(date(run.year, 12, 31)),
        run.year,
        run.pk,
        connection.ops.adapt_datetimefield_value(now),
        run.rate_ppm,
        *recent_params,
        low,
        high,
    ]
    if postgresql:
        insert = f"""
            INSERT INTO {entry} (account_id, kind, value_date, year, employer_amount, worker_amount,
                                 development_amount, claim_amount, amount, crediting_run_id, note, created_at)
            SELECT d.account_id, %(development)s, %(dec31)s, %(year)s, 0, 0, d.development, 0, d.development,
                   %(run)s, '', %(now)s
            FROM (
                SELECT b.account_id AS account_id, (%(rate)s * b.base12 + {half}) / {divisor} AS development
                FROM ({_bases_postgresql()}) b
                WHERE b.base12 > 0
            ) d
            WHERE d.development > 0
            ORDER BY d.account_id
        """  # noqa: S608 - table names from model metadata, values are parameters
        # In account order the entries' (account, value date) and once-a-year indexes take their keys page after
        # page, and the accounts' update walks their primary key in order: inserting 27,377 development entries
        # took 0.34 s sorted against 0.60 s in the accounts' physical order (20,000 persons, medians of four).
        named = {
            "development": JhtEntry.Kind.DEVELOPMENT.value,
            "dec31": date(run.year, 12, 31),
            "jan1": date(run.year, 1, 1),
            "year": run.year,
            "run": run.pk,
            "now": now,
            "rate": run.rate_ppm,
            "low": low,
            "high": high,
        }
    with connection.cursor() as cursor:
        if postgresql:
            # The statement hashes the chunk's accounts (to join their contributions) and aggregates per account:
            # with the default 4 MB a chunk of 50,000 accounts already spills both to temporary files. Memory
            # for this transaction only, what a chunk needs, within bounds: measured at about 520 bytes an
            # account for the aggregate and the two hashes, and hash nodes may take hash_mem_multiplier (2 by
            # default) times work_mem.
            work_mem = min(max((high - low + 1) * 320 // 1024, 16 * 1024), 1024 * 1024)
            cursor.execute(f"SET LOCAL work_mem = '{work_mem}kB'")
            # Account locks in id order, like imports take them, so the two wait instead of deadlocking (a chunk's
            # accounts are not a range of ids, but the chunks are disjoint); they also keep each balance equal to
            # the sum of the lines read with it.
            cursor.execute(
                f"""SELECT id FROM {account} WHERE membership_id >= %s AND membership_id <= %s
                    ORDER BY id FOR NO KEY UPDATE""",  # noqa: S608
                [low, high],
            )
            named["accounts"] = [account_id for (account_id,) in cursor.fetchall()]
            if not named["accounts"]:
                return
            # The accounts move by the rows the insert really made (RETURNING), in the same statement. Its
            # entries reference only the run (checked and locked once here instead of by a trigger per row) and
            # the chunk's accounts, which it reads from the rows locked above: they exist until commit.
            with foreign_keys_checked_per_batch([References(CreditingRun._meta.db_table, [run.pk])]):
                _insert_and_move_postgresql(cursor, insert, named)
            return
        cursor.execute(insert + _ON_CONFLICT, params)
        # Only the rows this run inserted move balances: another run's rows carry its own id.
        cursor.execute(
            f"""
            UPDATE {account}
            SET balance = {account}.balance + e.development_amount,
                development_total = {account}.development_total + e.development_amount
            FROM {entry} e
            WHERE e.crediting_run_id = %s AND e.account_id = {account}.id AND e.kind = %s AND e.year = %s
              AND {account}.membership_id >= %s AND {account}.membership_id <= %s
            """,  # noqa: S608 - the kind and year let the once-a-year index find each account's entry
            [run.pk, JhtEntry.Kind.DEVELOPMENT.value, run.year, low, high],
        )


_ON_CONFLICT = " ON CONFLICT DO NOTHING"


def _insert_and_move_postgresql(cursor: Any, insert: str, params: dict[str, Any]) -> None:
    """Inserts the chunk's development entries and moves the accounts by the rows really inserted (RETURNING), in
    one statement. The entries go in as a plain INSERT inside a savepoint: under the chunk's account locks the
    `credited` flag has already left out every account credited for the year, and with ON CONFLICT DO NOTHING
    PostgreSQL checks each row against the unique (account, year) before inserting it (measured at 635 against
    420 ms for 76,000 entries). Only a development entry for the year not dated 31 December (one written by hand)
    makes the unique index refuse the chunk, which then goes in again with ON CONFLICT DO NOTHING."""
    account = Account._meta.db_table
    move = f"""
        UPDATE {account} SET balance = {account}.balance + c.development_amount,
            development_total = {account}.development_total + c.development_amount
        FROM credited c WHERE c.account_id = {account}.id
    """  # noqa: S608 - table names from model metadata
    returning = " RETURNING account_id, development_amount"
    try:
        with transaction.atomic():
            cursor.execute(f"WITH credited AS ({insert}{returning}) {move}", params)
        return
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
    cursor.execute(f"WITH credited AS ({insert}{_ON_CONFLICT}{returning}) {move}", params)


def analyze_if_stale(models: list[Any]) -> list[str]:
    """ANALYZEs the tables (or their partitions) of `models` that were never analyzed, or have had more rows
    changed since than they hold; returns their names (PostgreSQL). A database just restored has no statistics
    until autovacuum gets to it, minutes later at a million persons, and without them the planner guesses the
    year's lines and the chunk's accounts (`rows=200` for any aggregate) and may read every contribution of the
    year once per chunk. ANALYZE samples a fixed number of pages (a second or so on the largest table), so not on
    every run: the seeder's yearly crediting finds the statistics autovacuum keeps."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.relid::regclass::text FROM pg_stat_user_tables s
               WHERE (s.relid = ANY(%(tables)s::regclass[])
                      OR s.relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = ANY(%(tables)s::regclass[])))
                 AND (COALESCE(s.last_analyze, s.last_autoanalyze) IS NULL
                      OR s.n_mod_since_analyze > 1000 + s.n_live_tup)""",
            {"tables": tables},
        )
        stale = [name for (name,) in cursor.fetchall()]
        for name in stale:
            cursor.execute(f"ANALYZE {name}")
    return stale


def _credit_range(run: CreditingRun, now: Any, ids: tuple[int, int]) -> int:
    low, high = ids
    with transaction.atomic():
        _credit_chunk(run, low=low, high=high, now=now)
    return high - low + 1


def _credit_ranges(run: CreditingRun, ranges: list[tuple[int, int]], *, now: Any, connections: int) -> Iterator[int]:
    """Credits each range of membership ids in its own transaction, `connections` of them at once on PostgreSQL
    (each thread on its own connection: the work is SQL, so threads do not wait for each other's Python). The
    ranges are disjoint and each takes its accounts' locks in id order, so they never deadlock. Inside an open
    transaction the other connections would not see its rows: then one at a time."""
    if connections <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for ids in ranges:
            yield _credit_range(run, now, ids)
        return

    def in_thread(ids: tuple[int, int]) -> int:
        try:
            return _credit_range(run, now, ids)
        finally:
            connection.close()  # the thread's own connection; the pool's threads end with the run

    with ThreadPoolExecutor(max_workers=connections) as pool:
        yield from pool.map(in_thread, ranges)


def credit_development(
    *,
    year: int,
    actor: Any = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_ACCOUNTS,
    connections: int = 1,
) -> CreditingRun:
    """Credits year `year`'s development to every JHT account, dated 31 December. `progress` is called with the
    number of membership ids covered after each chunk; `connections` chunks run at once (PostgreSQL)."""
    rate = DevelopmentRate.objects.filter(year=year).first()
    if rate is None:
        raise DomainError(
            _("Tarif hasil pengembangan JHT tahun %(year)s belum ditetapkan.") % {"year": year},
            code="no_development_rate",
            field="year",
        )
    if date(year, 12, 31) > timezone.localdate():
        raise DomainError(
            _("Hasil pengembangan tahun %(year)s baru dapat dikreditkan pada 31 Desember.") % {"year": year},
            code="year_not_over",
            field="year",
        )
    if connection.vendor == "postgresql":
        analyze_if_stale([Account, Contribution, JhtEntry])
    run = CreditingRun.objects.create(
        year=year, rate_ppm=rate.rate_ppm, actor=actor if getattr(actor, "pk", None) else None
    )
    bounds = Account.objects.aggregate(low=Min("membership_id"), high=Max("membership_id"))
    if bounds["low"] is not None:
        ranges = [
            (low, min(low + chunk_size - 1, bounds["high"]))
            for low in range(bounds["low"], bounds["high"] + 1, chunk_size)
        ]
        for covered in _credit_ranges(run, ranges, now=timezone.now(), connections=connections):
            if progress is not None:
                progress(covered)
    # the run's entries are all dated 31 December: one partition of the year's entries read, as nothing indexes the run
    totals = JhtEntry.objects.filter(crediting_run=run, value_date=date(year, 12, 31)).aggregate(
        count=Count("id"), total=Sum("amount")
    )
    run.accounts_credited = totals["count"] or 0
    run.total_credited = totals["total"] or 0
    run.finished_at = timezone.now()
    run.save(update_fields=["accounts_credited", "total_credited", "finished_at"])
    if run.actor_id is not None:
        record_event(
            "credit_development",
            instance=run,
            after={
                "year": year,
                "rate_ppm": run.rate_ppm,
                "accounts": run.accounts_credited,
                "total": run.total_credited,
            },
            actor=actor,
        )
    return run
