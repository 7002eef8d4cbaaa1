"""Monthly posting set-based in SQL (`posting_sql`, PostgreSQL): the same month imported through the Python path
and through the set-based one leaves the same ledger to the rupiah (`checksums`) and the same refusals, with the
unusual rows mixed in; the SQL amounts equal `rates`' for every risk class, with and without JP, at the rounding
edges and around the caps; only the unusual members' rows reach the Python path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction

from jaminanku.contributions import imports, posting_sql
from jaminanku.contributions.checksums import ledger_checksums
from jaminanku.contributions.imports import WageLine, import_month
from jaminanku.contributions.models import Account, Contribution
from jaminanku.contributions.periods import month_start
from jaminanku.contributions.rates import AMOUNT_FIELDS, PensionAges, RateSchedule, compute_contribution
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.registry.models import Membership
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

BEFORE = date(2024, 2, 1)
PERIOD = date(2024, 3, 1)
AFTER = date(2024, 4, 1)


class _Rollback(Exception):
    pass


def _outcome(run: Callable[[], list[Any]]) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    """What an import did (its results without report ids, and the ledger's checksums), then undone."""
    seen: dict[str, Any] = {}
    try:
        with transaction.atomic():
            results = run()
            seen["results"] = [
                (
                    r.npp,
                    r.period,
                    r.rows_total,
                    r.rows_posted,
                    r.rows_rejected,
                    r.rows_duplicate,
                    r.errors,
                    r.amount_due,
                    r.late_fine,
                )
                for r in results
            ]
            seen["ledger"] = ledger_checksums()
            raise _Rollback
    except _Rollback:
        pass
    return seen["results"], seen["ledger"]


def _both_ways(monkeypatch: pytest.MonkeyPatch, run: Callable[[], list[Any]]) -> tuple[Any, Any]:
    monkeypatch.setattr(imports, "SET_BASED", False)
    python = _outcome(run)
    monkeypatch.setattr(imports, "SET_BASED", True)
    return python, _outcome(run)


def _employed(firm: Any, **kwargs: object) -> Membership:
    member = pu_member(**kwargs)
    EmploymentFactory(membership=member, employer=firm, start=date(2020, 1, 1))
    return member


@pytest.fixture
def python_rows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The KPJs of the rows handed to the Python path, in order."""
    seen: list[str] = []
    original = imports._WageImporter._post_rows

    def spy(self: imports._WageImporter, rows: list[Any]) -> None:
        seen.extend(row.kpj for row in rows)
        original(self, rows)

    monkeypatch.setattr(imports._WageImporter, "_post_rows", spy)
    return seen


def test_a_mixed_month_leaves_the_same_ledger_and_refusals_both_ways(monkeypatch, python_rows):
    low, high = employer(risk_class=1), employer(risk_class=4)
    usual = [_employed(low) for _ in range(6)] + [_employed(high) for _ in range(4)]
    old = _employed(high, person__date_of_birth=date(1965, 6, 1))  # past pension age: no JP
    rich = _employed(low)  # a wage above the JP cap
    wrong_nik, odd_name, wrong_name, twice = (_employed(low) for _ in range(4))
    newcomer = pu_member()  # no employment yet: the report opens one, and the account
    leaver = _employed(high)  # ends the employment in the month
    posted = _employed(low)  # the month is posted already: a duplicate
    backfilled = _employed(low)  # April posted: March back-fills the run
    bpu = MembershipFactory(segment="BPU")
    text_wage = _employed(high)  # "Rp5.000.000": only Python reads it
    bad_wage = _employed(high)
    gone = pu_member()  # left `low` in January: refused as employment_ended (in SQL)
    EmploymentFactory(
        membership=gone, employer=low, start=date(2020, 1, 1), end=date(2024, 1, 31), end_reason="resignation"
    )
    elsewhere = _employed(high)  # still employed by `high`: a row for `low` is refused (in Python)
    everyone = [*usual, old, rich, wrong_nik, odd_name, wrong_name, twice, leaver, posted, backfilled, text_wage]
    import_month(period=BEFORE, lines=[line(m, 4_000_000, npp=_npp(m)) for m in everyone])
    import_month(period=PERIOD, lines=[line(posted, 4_000_000, npp=low.npp)])
    import_month(period=AFTER, lines=[line(backfilled, 4_000_000, npp=low.npp)])
    later = _employed(low)  # May paid, not April: March is an older month, not a back-fill (SQL, run left alone)
    import_month(period=date(2024, 5, 1), lines=[line(later, 4_000_000, npp=low.npp)])

    def month() -> list[Any]:
        lines = [line(m, 4_000_000 + 1_000 * n + 3, npp=_npp(m)) for n, m in enumerate(usual)]
        lines += [
            line(old, 6_000_000, npp=high.npp),
            line(rich, 15_000_000, npp=low.npp),
            WageLine(kpj=wrong_nik.kpj, nik="3201019999999999", name=wrong_nik.person.full_name, wage=4e6, npp=low.npp),
            WageLine(
                kpj=odd_name.kpj,
                nik=odd_name.person.nik,
                name=odd_name.person.full_name.upper(),
                wage=4_000_000,
                npp=low.npp,
            ),
            WageLine(kpj=wrong_name.kpj, nik=wrong_name.person.nik, name="Orang Lain", wage=4_000_000, npp=low.npp),
            line(twice, 4_000_000, npp=low.npp),
            line(newcomer, 4_500_000, npp=low.npp),
            line(leaver, 4_000_000, npp=high.npp, employment_end="15/03/2024", end_reason="resignation"),
            line(posted, 4_000_000, npp=low.npp),
            line(backfilled, 4_000_000, npp=low.npp),
            line(bpu, 4_000_000, npp=low.npp),
            WageLine(kpj="99999999999", nik="1", name="x", wage=4_000_000, npp=low.npp),
            line(usual[0], 4_000_000, npp="77777777"),  # unknown NPP: refused, and usual[0] goes through Python
            line(text_wage, "Rp5.000.000", npp=high.npp),
            line(bad_wage, "lima juta", npp=high.npp),
            line(twice, 4_100_000, npp=low.npp),
            line(gone, 4_000_000, npp=low.npp, row=90),
            line(elsewhere, 4_000_000, npp=low.npp),
            line(later, 4_200_000, npp=low.npp),
        ]
        return import_month(period=PERIOD, lines=lines)

    monkeypatch.setattr(imports, "SET_BASED", False)
    python = _outcome(month)
    python_rows.clear()
    monkeypatch.setattr(imports, "SET_BASED", True)
    set_based = _outcome(month)
    assert set_based == python
    results, _ledger = set_based
    assert sum(r[3] for r in results) == 19
    codes = sorted(e["code"] for r in results for e in r[6])
    assert codes == [
        "employment_ended",
        "name_mismatch",
        "nik_mismatch",
        "not_pu",
        "other_employer",
        "unknown_kpj",
        "unknown_npp",
        "wage_invalid",
    ]
    assert sum(r[5] for r in results) == 2  # the month posted already, and `twice`'s second row
    # Only the unusual members' rows went through Python: usual[0] (with its unknown-NPP row), and the others.
    handed = set(python_rows)
    assert {m.kpj for m in usual[1:]} & handed == set()
    assert {old.kpj, rich.kpj, posted.kpj, gone.kpj, later.kpj} & handed == set()
    assert {usual[0].kpj, wrong_nik.kpj, odd_name.kpj, twice.kpj, newcomer.kpj, backfilled.kpj} <= handed


def _npp(member: Membership) -> str:
    return member.employments.get().employer.npp


def test_a_usual_month_posts_without_python_rows_and_as_python_does(monkeypatch, python_rows):
    firms = [employer(risk_class=r) for r in (1, 2, 3, 4, 5)]
    members = [_employed(firms[n % 5]) for n in range(25)]
    import_month(period=BEFORE, lines=[line(m, 3_000_000, npp=_npp(m)) for m in members])
    python_rows.clear()

    def month() -> list[Any]:
        return import_month(
            period=PERIOD, lines=[line(m, 3_000_000 + 777 * n, npp=_npp(m)) for n, m in enumerate(members)]
        )

    monkeypatch.setattr(imports, "SET_BASED", False)
    python = _outcome(month)
    assert len(python_rows) == 25
    python_rows.clear()
    monkeypatch.setattr(imports, "SET_BASED", True)
    set_based = _outcome(month)
    assert set_based == python
    assert [r[3] for r in set_based[0]] == [5] * 5
    assert python_rows == []  # the set-based run handed no row to Python


def test_importing_the_month_again_counts_duplicates_both_ways(monkeypatch):
    firm = employer(risk_class=3)
    members = [_employed(firm) for _ in range(5)]
    import_month(period=BEFORE, lines=[line(m, 3_000_000, npp=firm.npp) for m in members])
    import_month(period=PERIOD, lines=[line(m, 3_000_000, npp=firm.npp) for m in members[:2]])

    def month() -> list[Any]:
        return import_month(period=PERIOD, lines=[line(m, 3_000_000, npp=firm.npp) for m in members])

    python, set_based = _both_ways(monkeypatch, month)
    assert set_based == python
    assert [(r[3], r[5]) for r in set_based[0]] == [(3, 2)]


WAGES = [1, 499, 500, 999_999, 1_000_000, 3_333_333, 4_999_950, 5_000_025, 9_559_600, 9_559_601, 10_042_300]
WAGES += [10_042_301, 12_345_679, 15_000_000, 99_999_999, 999_999_999_999]


@pytest.mark.parametrize("period", [date(2015, 7, 1), date(2019, 3, 1), date(2024, 3, 1), date(2025, 2, 1)])
def test_the_sql_amounts_equal_the_python_amounts(period):
    schedule = RateSchedule.resolve(period=month_start(period), segment="PU")
    expressions = posting_sql.amount_columns(schedule)
    assert expressions is not None
    cases = [(wage, risk, jp) for wage in WAGES for risk in (1, 2, 3, 4, 5) for jp in (True, False)]
    values = ", ".join(f"({w}::bigint, {r}::smallint, {str(j).lower()})" for w, r, j in cases)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(expressions)} FROM (VALUES {values}) AS u(wage, risk_class, jp_enrolled)"  # noqa: S608
        )
        found = cursor.fetchall()
    for (wage, risk, jp), row in zip(cases, found, strict=True):
        lines = compute_contribution(wage=wage, period=period, segment="PU", risk_class=risk, jp_enrolled=jp)
        expected = (
            *(getattr(lines, name) for name in AMOUNT_FIELDS),
            lines.jp_base,
            lines.employer_due,
            lines.worker_due,
        )
        assert tuple(row) == expected, (wage, risk, jp)


def test_the_pension_cut_off_is_the_pythons():
    pension = PensionAges()
    firm = employer()
    # 58 on 31/03/2024 (pension age 58 in 2022–2024): no JP; a day younger: JP
    cutoff = pension.last_birth_at_pension_age(date(2024, 3, 31))
    assert cutoff is not None
    at_age = _employed(firm, person__date_of_birth=cutoff)
    younger = _employed(firm, person__date_of_birth=date.fromordinal(cutoff.toordinal() + 1))
    import_month(period=BEFORE, lines=[line(m, 5_000_000, npp=firm.npp) for m in (at_age, younger)])
    import_month(period=PERIOD, lines=[line(m, 5_000_000, npp=firm.npp) for m in (at_age, younger)])
    jp = dict(Contribution.objects.filter(period=PERIOD).values_list("membership_id", "jp_employer"))
    assert jp == {at_age.id: 0, younger.id: 100_000}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reload_reference_data")
def test_concurrent_imports_of_one_month_post_each_row_once_without_deadlock():
    from jaminanku.contributions.imports import import_wage_lines
    from jaminanku.contributions.ledger import find_unreconciled_accounts
    from jaminanku.contributions.tests.test_races_imports import _all_at_once

    firm = employer()
    members = [_employed(firm) for _ in range(8)]
    import_month(period=BEFORE, lines=[line(m, 4_000_000, npp=firm.npp) for m in members])
    forward = [line(m, 4_000_000, npp=firm.npp) for m in members]
    backward = forward[::-1]
    halves = [forward[:5], forward[3:]]
    targets = [lambda: import_month(period=PERIOD, lines=forward)] * 6
    targets += [lambda: import_month(period=PERIOD, lines=backward)] * 6
    targets += [lambda lines=lines: import_month(period=PERIOD, lines=lines) for lines in halves] * 3
    targets += [lambda: [import_wage_lines(npp=firm.npp, period=PERIOD, lines=forward)]] * 4
    results = [r for batch in _all_at_once(targets) for r in batch]

    assert sum(r.rows_posted for r in results) == 8
    assert sum(r.rows_rejected for r in results) == 0
    assert Contribution.objects.filter(period=PERIOD).count() == 8
    # JHT 5.7 % of 4,000,000 = 228,000 a month, two months each
    assert sorted(Account.objects.values_list("balance", flat=True)) == [456_000] * 8
    assert find_unreconciled_accounts() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reload_reference_data")
def test_a_month_posted_while_its_accounts_are_credited_waits_for_the_crediting_without_deadlock():
    """The set-based posting takes its accounts' row locks in id order (`posting_sql.lock_accounts`), as crediting
    chunks take theirs: each waits for the other, none fails, and each is done once."""
    from jaminanku.contributions.crediting import credit_development
    from jaminanku.contributions.ledger import find_unreconciled_accounts
    from jaminanku.contributions.models import JhtEntry
    from jaminanku.contributions.tests.test_races_imports import _all_at_once

    firm = employer()
    members = [_employed(firm) for _ in range(8)]
    import_month(period=BEFORE, lines=[line(m, 4_000_000, npp=firm.npp) for m in members])
    january = date(2025, 1, 1)
    month = [line(m, 4_000_000, npp=firm.npp) for m in members]
    targets: list[Callable[[], object]] = [lambda: import_month(period=january, lines=month)] * 4
    targets += [lambda: credit_development(year=2024, chunk_size=2)] * 4
    _all_at_once(targets)

    assert Contribution.objects.filter(period=january).count() == 8
    assert JhtEntry.objects.filter(kind="development", year=2024).count() == 8
    # February's 228,000 earns 6.7 % for 10 of 12 months: 12,730, whichever committed first
    assert sorted(Account.objects.values_list("balance", flat=True)) == [228_000 * 2 + 12_730] * 8
    assert find_unreconciled_accounts() == []


def test_the_months_hash_joins_are_planned_for_its_statements_only():
    """The lock pass and the classification run with nested loops off and a larger work_mem
    (`posting_sql._HASHED`), the posting statement with that work_mem; the transaction's own settings are back
    after them, inside it and after a posting."""
    from jaminanku.core.bulk import planner_settings

    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('work_mem')")
            return cursor.fetchone()

    seen: dict[str, tuple[str, str]] = {}
    statements = {"lock": "SELECT count(*) FROM (", "classify": "WITH matched", "post": "WITH priced"}

    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        # the settings in force when each of the month's statements starts, read on the same transaction
        for name, start in statements.items():
            if sql.lstrip().startswith(start) and name not in seen:
                seen[name] = settings()
        return execute(sql, params, many, context)

    firm = employer()
    members = [_employed(firm) for _ in range(3)]
    with transaction.atomic():
        before = settings()
        with connection.cursor() as cursor, planner_settings(cursor, **posting_sql._HASHED):
            assert settings() == ("off", "256MB")
        assert settings() == before
        with connection.execute_wrapper(watch):
            import_month(period=PERIOD, lines=[line(m, 4_000_000, npp=firm.npp) for m in members])
        assert settings() == before != ("off", "256MB")
    assert seen == {"lock": ("off", "256MB"), "classify": ("off", "256MB"), "post": (before[0], "256MB")}
    assert Contribution.objects.filter(period=PERIOD).count() == 3


def test_a_plan_sql_cannot_price_safely_leaves_the_month_to_python(monkeypatch, python_rows):
    from jaminanku.contributions.rates import RateLine

    schedule = RateSchedule.resolve(period=PERIOD, segment="PU")
    huge = RateLine(program="JKK", party="employer", field="jkk", rate_ppm=20_000_000, flat_amount=0, risk_class=1)
    assert posting_sql.amount_columns(RateSchedule(PERIOD, "PU", (*schedule.lines, huge))) is None
    monkeypatch.setattr(posting_sql, "amount_columns", lambda schedule: None)
    firm = employer()
    member = _employed(firm)
    import_month(period=PERIOD, lines=[line(member, 4_000_000, npp=firm.npp)])
    assert python_rows == [member.kpj]
    assert Contribution.objects.get(membership=member).jht_employer == 148_000  # 3.7 % of 4,000,000
