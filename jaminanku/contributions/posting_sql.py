"""Monthly posting set-based in SQL, PostgreSQL only: the usual rows of a month's wage reports are classified,
priced and posted by a few statements over a staging table, never one Python object per row.

Why hand-written SQL: the ORM cannot express a data-modifying CTE (insert the contributions, move the accounts by
the rows really inserted and count them per report in one statement), `ON CONFLICT` on the partitioned
contributions table, or row locks taken in id order over a join; and the amounts must be the integers
`rates._lines` gives, so each plan step is spelled out as `flat + (LEAST(wage, cap) × rate + 500000) / 1000000`
from `RateSchedule.plan` (`amount_columns`), which the tests compare to the Python path to the rupiah.

What counts as usual (`classify`): a line of the report's month with all-digit NPP and KPJ, a wage that is a
whole positive number, no period or employment dates of its own; its employer known with risk class 1–5; its
membership PU with the line's exact NIK and name, a JHT account whose paid run the month does not back-fill, and
an employment of that employer over the month; its KPJ on no other line of the chunk. Everything else — and every
line of a member with any other line — goes through the Python path (`imports._WageImporter`) unchanged, which
gives the refusals and their reasons as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction

from jaminanku.contributions.models import Account, Contribution
from jaminanku.contributions.periods import add_months, month_end
from jaminanku.contributions.posting import ACCOUNT_SET
from jaminanku.contributions.rates import AMOUNT_FIELDS, PAYER_EMPLOYER, PAYER_WORKER, RateSchedule
from jaminanku.core.bulk import copy_rows, is_unique_violation, planner_settings, stage_table
from jaminanku.registry.models import Employer, Employment, Membership, Person

STAGE = "jk_stage_wage_line"
USUAL = "jk_stage_usual_line"
STAGE_COLUMNS = ("idx", "npp", "kpj", "nik", "name", "wage", "report_id")
_STAGE_TYPES = {
    "idx": "integer",
    "npp": "text",
    "kpj": "text",
    "nik": "text",
    "name": "text",
    "wage": "bigint",
    "report_id": "bigint",
}
_STAGE_BINARY = ("int4", "text", "text", "text", "text", "int8", "int8")
_WAGE_LIMIT = 10**12
# The month's look-ups by KPJ, NIK and name cover most of the registry, so one pass over each table (hash joins)
# beats an index probe per line: at 1,000,000 persons the planner chose 626,392 probes of the KPJ index for the
# account locks (6.4 s against 2.7 s hashed) and of the membership, account and employment indexes for the
# classification. The hashes of a month need more than the default 4 MB (bench/README.md, 2026-12-07 evening).
_HASHED = {"enable_nestloop": "off", "work_mem": "256MB"}
RISK_CLASSES = (1, 2, 3, 4, 5)


def plain_wage(value: object) -> int | None:
    """The wage of a line if the SQL path may take it: a whole positive number (an int, or all-digit text with no
    leading zero), which `reportbook.parse_amount` reads as the same number, below 10^12 so that wage × rate (ppm)
    stays within a bigint. None: the Python path's."""
    if type(value) is int:
        return value if 0 < value < _WAGE_LIMIT else None
    if type(value) is str and value.isascii() and value.isdigit() and value[0] != "0" and len(value) < 13:
        return int(value)
    return None


def amount_columns(schedule: RateSchedule) -> list[str] | None:
    """The SQL expressions of CONTRIBUTION amounts (AMOUNT_FIELDS, then jp_base, employer_due, worker_due) for a
    row with columns `u.wage`, `u.risk_class` and `u.jp_enrolled`, exactly as `rates._lines`; None if the
    schedule cannot be priced here."""
    columns: list[list[tuple[str, str]]] = [[] for _ in range(len(AMOUNT_FIELDS) + 3)]
    jp_base, employer_due, worker_due = len(AMOUNT_FIELDS), len(AMOUNT_FIELDS) + 1, len(AMOUNT_FIELDS) + 2
    for risk in RISK_CLASSES:
        for enrolled in (True, False):
            when = f"u.risk_class = {risk} AND {'' if enrolled else 'NOT '}u.jp_enrolled"
            terms: list[list[str]] = [[] for _ in columns]
            for index, payer, is_jp, rate_ppm, flat, cap in schedule.plan(risk, jp_enrolled=enrolled):
                # wage < 10^12 times a rate of at most 100 % stays within a bigint; anything else: Python
                if not (0 <= rate_ppm <= 10**6 and 0 <= flat < _WAGE_LIMIT and 0 <= (cap or 0) < _WAGE_LIMIT):
                    return None
                base = "u.wage" if cap is None else f"LEAST(u.wage, {cap}::bigint)"
                term = f"({flat}::bigint + ({base} * {rate_ppm} + 500000) / 1000000)"
                terms[index].append(term)
                if is_jp:
                    terms[jp_base] = [base]  # the last JP line's base, as `_lines` keeps it
                if payer == PAYER_EMPLOYER:
                    terms[employer_due].append(term)
                elif payer == PAYER_WORKER:
                    terms[worker_due].append(term)
            for column, parts in zip(columns, terms, strict=True):
                column.append((when, " + ".join(parts) or "0"))
    return ["CASE " + " ".join(f"WHEN {w} THEN {e}" for w, e in cases) + " END" for cases in columns]


def wage_bounds(schedule: RateSchedule) -> tuple[int, int]:
    """The wages `schedule.base_error` accepts, as one range (the others go through Python and its refusal)."""
    programs = {""} | {line.program for line in schedule.lines}
    low = max([schedule.minimums[p] for p in programs if p in schedule.minimums], default=1)
    high = min([schedule.maximums[p] for p in programs if p in schedule.maximums], default=_WAGE_LIMIT)
    return low, high


def stage(cursor: Any, lines: Sequence[tuple[object, ...]]) -> None:
    stage_table(cursor, STAGE, STAGE_COLUMNS, _STAGE_TYPES)
    copy_rows(cursor, STAGE, STAGE_COLUMNS, lines, binary_types=_STAGE_BINARY)
    # A temporary table has no statistics until analyzed: planned as a few rows, the joins below went row by row
    # over whole look-ups (seconds at 20,000 persons).
    cursor.execute(f"ANALYZE {STAGE}")


def lock_accounts(cursor: Any, other_kpjs: Sequence[str]) -> None:
    """Takes the row locks of the accounts of every staged member and of `other_kpjs` (the members going
    through the Python path) in one pass in id order, as `posting.lock_accounts_in_order` does, before reading
    them: concurrent imports and crediting wait, never deadlock."""
    account, membership = Account._meta.db_table, Membership._meta.db_table
    with planner_settings(cursor, **_HASHED):
        cursor.execute(
            f"""SELECT count(*) FROM (
                    SELECT a.id FROM {account} a JOIN {membership} m ON m.id = a.membership_id
                    WHERE m.kpj IN (SELECT kpj FROM {STAGE} UNION ALL SELECT unnest(%s::text[]))
                    ORDER BY a.id FOR NO KEY UPDATE OF a) locked""",  # noqa: S608 - names from model metadata
            [list(other_kpjs)],
        )


def classify(
    cursor: Any,
    *,
    period: date,
    bounds: tuple[int, int],
    last_birth_at_pension_age: date | None,
) -> tuple[list[int], list[int]]:
    """Keeps the usual staged lines in USUAL (membership, employer, account, wage, report, JP enrolment); returns
    the indexes of the lines refused as `employment_ended` (otherwise usual, but every employment with that
    employer ended before the month and none with another is open: `employment.place_row` refuses them so), and
    of the others, for the Python path. The staged lines have distinct KPJs."""
    stage_table(
        cursor,
        USUAL,
        ("idx", "membership_id", "employer_id", "risk_class", "wage", "account_id", "report_id", "jp_enrolled"),
        {"idx": "integer", "risk_class": "smallint", "jp_enrolled": "boolean"},
    )
    membership, person, employer = Membership._meta.db_table, Person._meta.db_table, Employer._meta.db_table
    employment, account = Employment._meta.db_table, Account._meta.db_table
    with planner_settings(cursor, **_HASHED):
        cursor.execute(
            f"""WITH matched AS MATERIALIZED (
                    SELECT s.idx, m.id AS membership_id, e.id AS employer_id, e.risk_class, s.wage,
                           s.report_id, %(cutoff)s::date IS NULL OR p.date_of_birth > %(cutoff)s::date AS jp_enrolled,
                           a.id AS account_id, a.paid_since, cover.membership_id IS NOT NULL AS covered
                    FROM {STAGE} s
                    JOIN {employer} e ON e.npp = s.npp
                    JOIN {membership} m ON m.kpj = s.kpj
                    JOIN {person} p ON p.id = m.person_id
                    LEFT JOIN {account} a ON a.membership_id = m.id
                    LEFT JOIN (SELECT DISTINCT em.membership_id, em.employer_id FROM {employment} em
                               WHERE em.start <= %(last)s AND (em."end" IS NULL OR em."end" >= %(first)s)) cover
                           ON cover.membership_id = m.id AND cover.employer_id = e.id
                    WHERE s.wage BETWEEN %(low)s AND %(high)s
                      AND e.risk_class BETWEEN 1 AND 5
                      AND m.segment = 'PU' AND p.nik = s.nik AND p.full_name = s.name
                ), usual AS (
                    INSERT INTO {USUAL}
                    SELECT idx, membership_id, employer_id, risk_class, wage, account_id, report_id, jp_enrolled
                    FROM matched
                    WHERE covered AND account_id IS NOT NULL AND paid_since IS DISTINCT FROM %(next)s::date
                    RETURNING idx
                ), ended AS (
                    SELECT x.idx FROM matched x
                    WHERE NOT x.covered
                      AND EXISTS (SELECT FROM {employment} em
                                  WHERE em.membership_id = x.membership_id AND em.employer_id = x.employer_id)
                      AND NOT EXISTS (SELECT FROM {employment} em
                                      WHERE em.membership_id = x.membership_id
                                        AND CASE WHEN em.employer_id = x.employer_id
                                                 THEN em."end" IS NULL OR em."end" >= %(first)s
                                                 ELSE em."end" IS NULL END)
                )
                SELECT idx, true FROM ended
                UNION ALL
                SELECT idx, false FROM {STAGE}
                WHERE idx NOT IN (SELECT idx FROM usual) AND idx NOT IN (SELECT idx FROM ended)""",  # noqa: S608
            {
                "cutoff": last_birth_at_pension_age,
                "low": bounds[0],
                "high": bounds[1],
                "next": add_months(period, 1),
                "first": period,
                "last": month_end(period),
            },
        )
        found = cursor.fetchall()
    cursor.execute(f"ANALYZE {USUAL}")
    ended: list[int] = []
    others: list[int] = []
    for idx, is_ended in found:
        (ended if is_ended else others).append(idx)
    return sorted(ended), sorted(others)


def post(cursor: Any, *, period: date, amounts: list[str], now: datetime) -> list[tuple[int, int, int, int]]:
    """Inserts the USUAL lines' contributions, moves their accounts by the rows inserted, and returns per report:
    (report id, lines handed, rows posted, amount due of those posted). Those already posted are skipped: the
    plain insert is tried first in a savepoint, since ON CONFLICT's speculative insertion checks the unique index
    before every row, and the rare month with a row already posted (a report imported again, or a concurrent
    import committed first) runs again with ON CONFLICT DO NOTHING, as `posting._insert_postgresql` does."""
    with planner_settings(cursor, work_mem=_HASHED["work_mem"]):
        try:
            with transaction.atomic():
                return _post(cursor, period=period, amounts=amounts, now=now, skip_posted=False)
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
        return _post(cursor, period=period, amounts=amounts, now=now, skip_posted=True)


def _post(
    cursor: Any, *, period: date, amounts: list[str], now: datetime, skip_posted: bool
) -> list[tuple[int, int, int, int]]:
    contribution, account = Contribution._meta.db_table, Account._meta.db_table
    names = [*AMOUNT_FIELDS, "jp_base", "employer_due", "worker_due"]
    priced = ", ".join(f"{expression} AS {name}" for expression, name in zip(amounts, names, strict=True))
    assignments = ACCOUNT_SET.format(
        t=account,
        run_prev="%(previous)s::date",
        run_start="%(period)s::date",
        period="%(period)s::date",
        now="%(now)s",
        employer="d.employer",
        worker="d.worker",
        employer_id="d.employer_id",
    )
    columns = ", ".join(
        ["membership_id", "employer_id", "period", "wage", "risk_class", *names, "report_id", "posted_at"]
    )
    if skip_posted:
        # only the rows really inserted move their accounts and count as posted
        returning = "RETURNING membership_id, jht_employer, jht_worker, employer_due + worker_due AS due"
        moves = f"""SELECT u.account_id, u.employer_id, i.jht_employer AS employer, i.jht_worker AS worker
                    FROM inserted i JOIN {USUAL} u USING (membership_id)"""  # noqa: S608
        counts = f"""SELECT u.report_id, count(*), count(i.membership_id), coalesce(sum(i.due), 0)
                     FROM {USUAL} u LEFT JOIN inserted i USING (membership_id) GROUP BY u.report_id"""  # noqa: S608
    else:
        # The plain insert inserts every row or fails whole, so the rows priced are the rows posted: no joins back
        # to what it returned (about 1.5 s of the statement's 9.5 in its plan at 1,000,000 persons).
        returning = ""
        moves = "SELECT account_id, employer_id, jht_employer AS employer, jht_worker AS worker FROM priced"
        counts = "SELECT report_id, count(*), count(*), sum(employer_due + worker_due) FROM priced GROUP BY report_id"
    cursor.execute(
        f"""WITH priced AS (
                SELECT u.idx, u.membership_id, u.account_id, u.employer_id, u.wage, u.risk_class, u.report_id,
                       {priced}
                FROM {USUAL} u
            ), inserted AS (
                INSERT INTO {contribution} ({columns})
                SELECT membership_id, employer_id, %(period)s::date, wage, risk_class, {", ".join(names)},
                       report_id, %(now)s
                FROM priced ORDER BY membership_id
                {"ON CONFLICT DO NOTHING" if skip_posted else ""}
                {returning}
            ), moved AS (
                UPDATE {account} SET {assignments}
                FROM ({moves}) d
                WHERE {account}.id = d.account_id
            )
            {counts}""",  # noqa: S608 - names from model metadata, amounts generated from the plan
        {"period": period, "previous": add_months(period, -1), "now": now},
    )
    return [(rid, handed, posted, int(due)) for rid, handed, posted, due in cursor.fetchall()]


def usual_employers(cursor: Any) -> list[int]:
    cursor.execute(f"SELECT DISTINCT employer_id FROM {USUAL}")  # noqa: S608
    return [eid for (eid,) in cursor.fetchall()]


def available() -> bool:
    return connection.vendor == "postgresql"
