"""The posting core shared by wage-report imports and BPU/PMI self-payments, behind one function,
`post_contributions`: the importers parse, check and report; posting creates the JHT accounts that are missing,
inserts contributions set-based with the unique constraints as the guard, moves account balances only for the rows
the database really inserted, and puts right the paid runs a back-filled month moved — all inside the caller's
transaction. A contribution is its own JHT ledger line (`ledger.ledger_lines_sql`), so nothing else is written per
row.

PostgreSQL: one binary COPY straight into the contributions table, then one UPDATE of the accounts from their deltas
(staged), after taking the account row locks in id order (concurrent imports wait, never deadlock); a chunk with a
row already posted is staged and posted with ON CONFLICT DO NOTHING instead (`_insert_postgresql`); foreign keys are
checked once per chunk, not per row (`bulk.foreign_keys_checked_per_batch`). SQLite (≥ 3.35, one writer at a time):
multi-row INSERT … ON CONFLICT DO NOTHING RETURNING in batches, account deltas by executemany. Either way: no query
per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Protocol

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jaminanku.contributions.models import Account, Contribution, WageReport
from jaminanku.contributions.periods import add_months
from jaminanku.contributions.rates import AMOUNT_FIELDS, ContributionLines
from jaminanku.core.bulk import (
    References,
    copy_rows,
    foreign_keys_checked_per_batch,
    id_array,
    insert_ignoring_conflicts,
    is_unique_violation,
    lock_referenced,
    max_params,
    rows_for_keys,
    stage_table,
)
from jaminanku.registry.models import Employer

CONTRIBUTION_COLUMNS = (
    "membership_id",
    "employer_id",
    "period",
    "wage",
    "risk_class",
    *AMOUNT_FIELDS,
    "jp_base",
    "employer_due",
    "worker_due",
    "report_id",
)
_SQL_TYPES = {
    "period": "date",
    "risk_class": "smallint",
    "run_start": "date",
    "posted_at": "timestamp with time zone",
}


@dataclass(slots=True)
class AccountState:
    id: int
    last_paid_period: date | None
    paid_since: date | None

    def backfilled_by(self, periods: set[date]) -> bool:
        """Whether posting these months fills the month just before the account's paid run, which moves the run's
        start (`recompute_paid_runs`; the relative update cannot see it). Never the usual month, which is later
        than the run's start."""
        since = self.paid_since
        return since is not None and add_months(since, -1) in periods


@dataclass(slots=True)
class PreparedContribution:
    """A checked row, ready to post: what an importer hands to `post_contributions`."""

    membership_id: int
    employer_id: int | None
    period: date
    wage: int
    risk_class: int | None
    lines: ContributionLines
    report_id: int

    @property
    def key(self) -> tuple[int, int | None, date]:
        return (self.membership_id, self.employer_id, self.period)

    def values(self, posted_at: object) -> tuple[object, ...]:
        """The values of CONTRIBUTION_COLUMNS and `posted_at` (the amount fields spelled out: this runs once per
        posted row)."""
        lines = self.lines
        return (
            self.membership_id,
            self.employer_id,
            self.period,
            self.wage,
            self.risk_class,
            lines.jht_employer,
            lines.jht_worker,
            lines.jkk,
            lines.jkm,
            lines.jp_employer,
            lines.jp_worker,
            lines.jkp_government,
            lines.jkp_from_jkk,
            lines.jkp_from_jkm,
            lines.jp_base,
            lines.employer_due,
            lines.worker_due,
            self.report_id,
            posted_at,
        )


class MemberAccount(Protocol):
    """A membership with its JHT account as the importer's own membership look-up read it (the `jht_account`
    relation joined, one query for both), so that posting need not look the accounts up again; the account's
    fields are None where the membership has none yet."""

    @property
    def id(self) -> int: ...
    @property
    def account_id(self) -> int | None: ...
    @property
    def last_paid_period(self) -> date | None: ...
    @property
    def paid_since(self) -> date | None: ...


def _ensure_accounts(membership_ids: Iterable[int], members: Iterable[MemberAccount] | None) -> dict[int, AccountState]:
    """The Account of each membership, created where missing (conflicts ignored: a concurrent import may create
    the same one). Accounts among `members` (read with the caller's membership look-up) are taken as read, so only
    the others are looked up; with `members` None, every one is. A few queries per `bulk.batched` slice
    (`bulk.rows_for_keys`)."""
    wanted = sorted(set(membership_ids))
    found: dict[int, AccountState] = {}
    if members is not None:
        known = {
            m.id: AccountState(m.account_id, m.last_paid_period, m.paid_since)
            for m in members
            if m.account_id is not None
        }
        found = {mid: known[mid] for mid in wanted if mid in known}

    def load(ids: Sequence[int]) -> None:
        for mid, aid, last, since in rows_for_keys(
            Account.objects.values_list("membership_id", "id", "last_paid_period", "paid_since"), "membership_id", ids
        ):
            found[mid] = AccountState(aid, last, since)

    if members is None:
        load(wanted)
    missing = [mid for mid in wanted if mid not in found]
    if missing:
        insert_ignoring_conflicts(
            Account._meta.db_table,
            ("membership_id", "balance", "employer_total", "worker_total", "development_total", "claims_total"),
            [(mid, 0, 0, 0, 0, 0) for mid in missing],
        )
        load(missing)
    return found


def post_contributions(
    rows: Sequence[PreparedContribution],
    *,
    members: Iterable[MemberAccount] | None = None,
    now: datetime | None = None,
) -> list[PreparedContribution]:
    """Posts `rows` (checked, distinct keys) to the ledger and returns those actually inserted; months already
    posted are skipped by the database. Creates the JHT accounts that are missing, moves the accounts' balances
    and paid runs, and recomputes the runs that a back-filled month moved. `members` are the rows' memberships with
    their accounts as the caller's look-up read them (`MemberAccount`); without them posting looks the accounts
    up. Must run inside a transaction."""
    if not rows:
        return []
    # A member's rows next to each other in the table (the rows' own order within a member)
    rows = sorted(rows, key=attrgetter("membership_id"))
    months = _months_by_member(rows)
    accounts = _ensure_accounts(months, members)
    backfilled = {mid for mid, periods in months.items() if accounts[mid].backfilled_by(periods)}
    inserted = _insert_and_move(rows, accounts, months, now or timezone.now())
    if backfilled:
        recompute_paid_runs(accounts[row.membership_id].id for row in inserted if row.membership_id in backfilled)
    return inserted


def _months_by_member(rows: Iterable[PreparedContribution]) -> dict[int, set[date]]:
    """The months among `rows` of each membership."""
    months: dict[int, set[date]] = {}
    for row in rows:
        periods = months.get(row.membership_id)
        if periods is None:
            periods = months[row.membership_id] = set()
        periods.add(row.period)
    return months


def _insert_and_move(
    rows: Sequence[PreparedContribution],
    accounts: dict[int, AccountState],
    months: dict[int, set[date]],
    now: datetime,
) -> list[PreparedContribution]:
    """Inserts the rows and moves their accounts; returns the rows inserted."""
    if connection.vendor != "postgresql":
        inserted_keys = _insert_returning(rows, now)
        by_key = {row.key: row for row in rows}
        inserted = [by_key[key] for key in inserted_keys]
        # usually every row is inserted, and the months are those of `rows`: no second pass over the rows
        inserted_months = months if len(inserted) == len(rows) else _months_by_member(inserted)
        _apply_to_accounts(inserted, accounts, _run_starts(inserted_months), now)
        return inserted
    lock_accounts_in_order({(accounts[mid].id, mid) for mid in months})
    # The memberships need no check of their own: each row's is its account's (checked above), and a membership
    # cannot go while its account, which references it, is locked. The accounts' last_employer is one of the rows'
    # employers.
    references = [
        References(Employer._meta.db_table, {row.employer_id for row in rows if row.employer_id is not None}),
        References(WageReport._meta.db_table, {row.report_id for row in rows}),
    ]
    with foreign_keys_checked_per_batch(references):
        skipped = _insert_postgresql(rows, accounts, _run_starts(months), now)
    return [row for row in rows if row.key not in skipped] if skipped else list(rows)


def _run_starts(months: dict[int, set[date]]) -> dict[int, date]:
    """Per membership, the first of the last run of consecutive months among its rows' `months`: where the
    account's paid run starts unless the run joins the months already paid (a chunk of several months per account
    comes from a backlog import, `imports.import_month` with `through`; one month is its own run).

    Months the database skips as already posted may be counted in: a skipped month is paid, so the account's last
    paid month is at or after it, and the run start then leaves paid_since as it is — right, since the inserted
    months of that run join the paid run, and the only one that can move its start (the month just before it) is
    recomputed afterwards as a back-fill."""
    starts: dict[int, date] = {}
    for mid, periods in months.items():
        start = max(periods)
        if len(periods) > 1:
            earliest = min(periods)
            if (start.year - earliest.year) * 12 + start.month - earliest.month == len(periods) - 1:
                start = earliest  # consecutive months, the usual backlog
            else:
                while (previous := add_months(start, -1)) in periods:
                    start = previous
        starts[mid] = start
    return starts


# --- PostgreSQL -------------------------------------------------------------------------------------------


def lock_accounts_in_order(owners: set[tuple[int, int]]) -> None:
    """Takes the row locks of these accounts ((account id, its membership's id) pairs) in id order before
    touching them, so that concurrent imports and crediting runs sharing accounts wait for each other instead of
    deadlocking. FOR NO KEY UPDATE still lets inserts of entries (foreign-key checks) through. Raises
    IntegrityError if an account is missing or belongs to another membership.

    Holding these locks also keeps each membership in place until commit: deleting a membership fails while an
    account references it, and the locks keep the accounts from being deleted or pointed elsewhere."""
    membership_of = dict(owners)
    account_ids = sorted(membership_of)
    if len(membership_of) != len(owners):
        raise IntegrityError(f"an account posted to with the rows of two memberships, among: {account_ids[:10]}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT id, membership_id FROM {Account._meta.db_table} "  # noqa: S608
            "WHERE id = ANY(%s::bigint[]) ORDER BY id FOR NO KEY UPDATE) locked "
            "JOIN unnest(%s::bigint[], %s::bigint[]) AS wanted(id, membership_id) USING (id) "
            "WHERE locked.membership_id = wanted.membership_id",
            [id_array(account_ids), id_array(account_ids), id_array(membership_of[aid] for aid in account_ids)],
        )
        (locked,) = cursor.fetchone()
    if locked != len(account_ids):
        lock_referenced([References(Account._meta.db_table, account_ids)])  # names the missing ones
        raise IntegrityError(f"accounts posted to with another membership's rows, among: {account_ids[:10]}")


def _insert_postgresql(
    rows: Sequence[PreparedContribution], accounts: dict[int, AccountState], run_starts: dict[int, date], now: datetime
) -> set[tuple[int, int | None, date]]:
    """Inserts the rows and moves the accounts' totals; returns the keys of the rows skipped as already posted
    (usually none).

    The rows go straight into the contributions table by one binary COPY, inside a savepoint: no staging table to
    write and read back, no ON CONFLICT check of every row before its insert (measured at 110–120 ms against 63 ms
    for 20,000 rows). Only when a row is already posted (a report imported again, or posted concurrently and
    committed first) does the unique index refuse the COPY; the chunk is then staged and inserted with ON CONFLICT
    DO NOTHING. Either way the accounts move by the per-account deltas of the rows really inserted, summed in
    Python (`_deltas`, a twelfth of the rows for a year's backlog), staged, in one UPDATE."""
    skipped: set[tuple[int, int | None, date]] = set()
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                copy_rows(
                    cursor,
                    connection.ops.quote_name(Contribution._meta.db_table),
                    _POSTED_COLUMNS,
                    (row.values(now) for row in rows),
                    binary_types=_POSTED_BINARY_TYPES,
                )
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            skipped = _insert_skipping_posted(cursor, rows, now)
            rows = [row for row in rows if row.key not in skipped]
        stage_table(cursor, _DELTA_STAGE, _DELTA_COLUMNS, _SQL_TYPES)
        copy_rows(
            cursor,
            _DELTA_STAGE,
            _DELTA_COLUMNS,
            (
                (d.account_id, d.employer, d.worker, d.period, d.employer_id, d.run_start)
                for d in _deltas(rows, accounts, run_starts)
            ),
            binary_types=_binary_types(_DELTA_COLUMNS),
        )
        cursor.execute(_move_sql(), {"now": now})
    return skipped


def _insert_skipping_posted(
    cursor: Any, rows: Sequence[PreparedContribution], now: datetime
) -> set[tuple[int, int | None, date]]:
    """Inserts the rows not posted yet (staged, one INSERT … ON CONFLICT DO NOTHING); returns the keys of the
    others."""
    stage_table(cursor, _STAGE, _POSTED_COLUMNS, _SQL_TYPES)
    copy_rows(cursor, _STAGE, _POSTED_COLUMNS, (row.values(now) for row in rows), binary_types=_POSTED_BINARY_TYPES)
    columns = ", ".join(_POSTED_COLUMNS)
    cursor.execute(
        f"INSERT INTO {Contribution._meta.db_table} ({columns}) SELECT {columns} FROM {_STAGE} "  # noqa: S608
        "ON CONFLICT DO NOTHING RETURNING membership_id, employer_id, period"
    )
    inserted = {(mid, eid, period) for mid, eid, period in cursor.fetchall()}
    return {row.key for row in rows} - inserted


def _binary_types(columns: Sequence[str]) -> list[str]:
    return [_BINARY_TYPES.get(_SQL_TYPES.get(column, ""), "int8") for column in columns]


_STAGE = "jk_stage_contribution"
_DELTA_STAGE = "jk_stage_account_delta"
# the account, then _DELTA_VALUES, as the staging table's columns
_DELTA_COLUMNS = ("account_id", "employer", "worker", "period", "employer_id", "run_start")
_POSTED_COLUMNS = (*CONTRIBUTION_COLUMNS, "posted_at")
_BINARY_TYPES = {"date": "date", "smallint": "int2", "timestamp with time zone": "timestamptz"}
_POSTED_BINARY_TYPES = _binary_types(_POSTED_COLUMNS)


def _move_sql() -> str:
    """The UPDATE moving each staged account by its row of _DELTA_STAGE."""
    account = Account._meta.db_table
    assignments = ACCOUNT_SET.format(
        t=account,
        run_prev="(d.run_start - interval '1 month')::date",
        now="%(now)s",
        **{name: f"d.{name}" for name in _DELTA_VALUES},
    )
    return f"UPDATE {account} SET {assignments} FROM {_DELTA_STAGE} d WHERE {account}.id = d.account_id"  # noqa: S608


# --- SQLite (and any backend with INSERT … RETURNING) ----------------------------------------------------------


def _insert_returning(rows: Sequence[PreparedContribution], now: datetime) -> list[tuple[int, int | None, date]]:
    contribution = Contribution._meta.db_table
    columns = (*CONTRIBUTION_COLUMNS, "posted_at")
    per_row = len(columns)
    batch = max(1, min(2_000, max_params() // per_row))
    placeholder = "(" + ", ".join(["%s"] * per_row) + ")"
    ops = connection.ops
    inserted: list[tuple[int, int | None, date]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            params: list[Any] = []
            stamp = ops.adapt_datetimefield_value(now)
            for row in part:
                values = list(row.values(stamp))
                values[2] = ops.adapt_datefield_value(row.period)
                params.extend(values)
            cursor.execute(
                f"INSERT INTO {contribution} ({', '.join(columns)}) VALUES "  # noqa: S608
                + ", ".join([placeholder] * len(part))
                + " ON CONFLICT DO NOTHING RETURNING membership_id, employer_id, period",
                params,
            )
            for mid, eid, period in cursor.fetchall():
                inserted.append((mid, eid, period if isinstance(period, date) else date.fromisoformat(str(period))))
    return inserted


# --- accounts ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Delta:
    account_id: int
    employer: int
    worker: int
    period: date
    employer_id: int | None
    run_start: date


# What moves an account, per account: its JHT delta, its latest month with that month's employer, and the start
# of the run of consecutive months that ends there (`_run_starts`).
_DELTA_VALUES = ("employer", "worker", "period", "employer_id", "run_start")

# Relative updates (balance = balance + delta), so concurrent postings to one account add up. paid_since starts
# a new run when the month before the new run was not the last paid month; a back-filled month that touches the
# start of the current run is put right afterwards by `recompute_paid_runs`.
ACCOUNT_SET = """
    balance = {t}.balance + {employer} + {worker},
    employer_total = {t}.employer_total + {employer},
    worker_total = {t}.worker_total + {worker},
    paid_since = CASE WHEN {t}.last_paid_period IS NULL OR {t}.last_paid_period < {run_prev}
                      THEN {run_start} ELSE {t}.paid_since END,
    last_employer_id = CASE WHEN {t}.last_paid_period IS NULL OR {t}.last_paid_period <= {period}
                            THEN {employer_id} ELSE {t}.last_employer_id END,
    last_paid_period = CASE WHEN {t}.last_paid_period IS NULL OR {t}.last_paid_period < {period}
                            THEN {period} ELSE {t}.last_paid_period END,
    last_contribution_at = {now}
"""


def _deltas(
    rows: Sequence[PreparedContribution], accounts: dict[int, AccountState], run_starts: dict[int, date]
) -> Iterable[_Delta]:
    """Per account, what `rows` move it by: JHT sums, the latest month with its employer (ties: the highest
    employer id, no employer last), and the start of its last run of months (`run_starts`, per membership)."""
    deltas: dict[int, _Delta] = {}  # by membership: one account each
    for row in rows:
        delta = deltas.get(row.membership_id)
        if delta is None:
            deltas[row.membership_id] = _Delta(
                accounts[row.membership_id].id,
                row.lines.jht_employer,
                row.lines.jht_worker,
                row.period,
                row.employer_id,
                run_starts[row.membership_id],
            )
            continue
        delta.employer += row.lines.jht_employer
        delta.worker += row.lines.jht_worker
        if row.period > delta.period or (
            row.period == delta.period and (row.employer_id or 0) > (delta.employer_id or 0)
        ):
            delta.period, delta.employer_id = row.period, row.employer_id
    return deltas.values()


def _apply_to_accounts(
    inserted: Sequence[PreparedContribution],
    accounts: dict[int, AccountState],
    run_starts: dict[int, date],
    now: datetime,
) -> None:
    """Moves the accounts' totals by the inserted rows (SQLite; PostgreSQL moves them by a staged UPDATE)."""
    deltas = list(_deltas(inserted, accounts, run_starts))
    if not deltas:
        return
    table = Account._meta.db_table
    ops = connection.ops
    assignments = ACCOUNT_SET.format(t=table, **{name: f"%({name})s" for name in (*_DELTA_VALUES, "run_prev", "now")})
    sql = f"UPDATE {table} SET {assignments} WHERE id = %(account_id)s"  # noqa: S608
    stamp = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                {
                    "account_id": d.account_id,
                    "employer": d.employer,
                    "worker": d.worker,
                    "period": ops.adapt_datefield_value(d.period),
                    "run_start": ops.adapt_datefield_value(d.run_start),
                    "run_prev": ops.adapt_datefield_value(add_months(d.run_start, -1)),
                    "employer_id": d.employer_id,
                    "now": stamp,
                }
                for d in deltas
            ],
        )


def recompute_paid_runs(account_ids: Iterable[int]) -> None:
    """Sets last_paid_period, paid_since and last_employer of these accounts from their live contributions.
    Used only for the rare back-filled month and for reversals, so a handful of accounts at a time."""
    ids = sorted(set(account_ids))
    if not ids:
        return
    accounts = dict(Account.objects.filter(id__in=ids).values_list("membership_id", "id"))
    months: dict[int, dict[date, int | None]] = {mid: {} for mid in accounts}
    for mid, period, employer_id in (
        Contribution.objects.filter(membership_id__in=list(accounts), reversed_at__isnull=True)
        .order_by("period", "id")
        .values_list("membership_id", "period", "employer_id")
    ):
        months[mid][period] = employer_id
    for mid, account_id in accounts.items():
        paid = months[mid]
        if not paid:
            Account.objects.filter(id=account_id).update(last_paid_period=None, paid_since=None)
            continue
        last = max(paid)
        since = last
        while add_months(since, -1) in paid:
            since = add_months(since, -1)
        Account.objects.filter(id=account_id).update(
            last_paid_period=last, paid_since=since, last_employer_id=paid[last]
        )
