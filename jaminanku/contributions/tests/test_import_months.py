"""Several months of wage reports in one import (`import_month` with `through`, an employer's backlog): one
report per employer and month, rows refused by period, and a ledger as if each month had been imported in turn —
paid runs included, worked out by hand below."""

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaminanku.contributions.imports import WageLine, import_month
from jaminanku.contributions.models import Account, Contribution, WageReport
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Employment, Membership
from jaminanku.registry.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db

WAGE = 5_000_000
JHT = 285_000  # 3.7 % (185,000) + 2 % (100,000) of 5,000,000


def _backlog(member: Membership, npp: str, *periods: date, **extra: object) -> list[WageLine]:
    return [line(member, WAGE, npp=npp, period=period, **extra) for period in periods]


def _run(member: Membership) -> tuple[int, date | None, date | None]:
    account = Account.objects.get(membership=member)
    return account.balance, account.paid_since, account.last_paid_period


def test_a_backlog_posts_each_month_in_its_own_report_with_the_run_from_its_first_month():
    firm = employer()
    member = pu_member()
    results = import_month(
        period=month(2025, 1),
        through=month(2025, 3),
        lines=_backlog(member, firm.npp, *(month(2025, m) for m in (1, 2, 3))),
    )
    assert [(r.npp, r.period, r.rows_total, r.rows_posted) for r in results] == [
        (firm.npp, month(2025, 1), 1, 1),
        (firm.npp, month(2025, 2), 1, 1),
        (firm.npp, month(2025, 3), 1, 1),
    ]
    assert WageReport.objects.filter(npp=firm.npp).count() == 3
    assert _run(member) == (3 * JHT, month(2025, 1), month(2025, 3))
    assert Account.objects.get(membership=member).last_employer == firm
    employment = Employment.objects.get(membership=member)
    assert (employment.start, employment.end) == (month(2025, 1), None)


def test_paid_runs_come_out_as_if_the_months_were_imported_one_by_one():
    firm = employer()
    joined = pu_member()  # paid Oct–Dec 2024; the backlog Jan–Mar 2025 continues the run
    gap = pu_member()  # paid Oct 2024; the backlog Jan and Mar 2025: the run starts again in March
    late = pu_member()  # employed from January, paid Mar 2025; the backlog Jan–Mar 2025 (March posted) back-fills
    EmploymentFactory(membership=late, employer=firm, start=month(2025, 1))
    for period in (month(2024, 10), month(2024, 11), month(2024, 12)):
        import_month(
            period=period,
            lines=[line(joined, WAGE, npp=firm.npp)]
            + ([line(gap, WAGE, npp=firm.npp)] if period == month(2024, 10) else []),
        )
    import_month(period=month(2025, 3), lines=[line(late, WAGE, npp=firm.npp)])
    Employment.objects.filter(membership=gap).update(end=date(2024, 10, 31), end_reason="resignation")

    results = import_month(
        period=month(2025, 1),
        through=month(2025, 3),
        lines=[
            *_backlog(late, firm.npp, month(2025, 1), month(2025, 2), month(2025, 3)),
            *_backlog(joined, firm.npp, month(2025, 1), month(2025, 2), month(2025, 3)),
            *_backlog(gap, firm.npp, month(2025, 1), month(2025, 3), employment_start="01/01/2025"),
        ],
    )
    assert _run(joined) == (6 * JHT, month(2024, 10), month(2025, 3))
    assert _run(gap) == (3 * JHT, month(2025, 3), month(2025, 3))
    assert _run(late) == (3 * JHT, month(2025, 1), month(2025, 3))
    # March of `late` was posted before: a duplicate in the March report.
    march = next(r for r in results if r.period == month(2025, 3))
    assert (march.rows_total, march.rows_posted, march.rows_duplicate) == (3, 2, 1)


def test_a_backlog_over_months_already_posted_joins_them_into_one_run():
    firm = employer()
    member = pu_member()  # employed from January, March and May posted; the backlog March–June fills April
    EmploymentFactory(membership=member, employer=firm, start=month(2025, 1))
    for period in (month(2025, 3), month(2025, 5)):
        import_month(period=period, lines=[line(member, WAGE, npp=firm.npp)])
    results = import_month(
        period=month(2025, 3),
        through=month(2025, 6),
        lines=_backlog(member, firm.npp, *(month(2025, m) for m in (3, 4, 5, 6))),
    )
    assert [(r.period, r.rows_posted, r.rows_duplicate) for r in results] == [
        (month(2025, 3), 0, 1),
        (month(2025, 4), 1, 0),
        (month(2025, 5), 0, 1),
        (month(2025, 6), 1, 0),
    ]
    assert _run(member) == (4 * JHT, month(2025, 3), month(2025, 6))


def test_the_same_backlog_twice_posts_nothing_the_second_time():
    firm = employer()
    members = [pu_member() for _ in range(3)]
    lines = [row for m in members for row in _backlog(m, firm.npp, month(2025, 4), month(2025, 5))]
    import_month(period=month(2025, 4), through=month(2025, 5), lines=lines)
    balances = {m.pk: _run(m) for m in members}
    again = import_month(period=month(2025, 4), through=month(2025, 5), lines=lines)
    assert [(r.rows_posted, r.rows_duplicate) for r in again] == [(0, 3), (0, 3)]
    assert Contribution.objects.count() == 6
    assert {m.pk: _run(m) for m in members} == balances


def test_rows_without_a_period_in_the_range_are_refused_in_the_first_months_report():
    firm, member = employer(), pu_member()
    periods = {1: "2025-13", 2: "2025-06", 3: None, 4: "2025-05"}  # row number -> the period it names
    lines = [line(member, WAGE, npp=firm.npp, period=period, row=row) for row, period in periods.items()]
    april, may = import_month(period=month(2025, 4), through=month(2025, 5), lines=lines)
    assert april.period == month(2025, 4)
    assert [(e["row"], e["code"]) for e in april.errors] == [
        (1, "period_invalid"),
        (2, "period_mismatch"),
        (3, "period_invalid"),
    ]
    assert (april.rows_total, april.rows_rejected, may.rows_total, may.rows_posted) == (3, 3, 1, 1)


def test_a_move_to_another_employer_inside_the_backlog_follows_the_months_whatever_the_row_order():
    old, new = employer(), employer()
    member = pu_member()
    import_month(period=month(2025, 1), lines=[line(member, WAGE, npp=old.npp)])
    import_month(
        period=month(2025, 2),
        through=month(2025, 3),
        lines=[
            line(member, WAGE, npp=new.npp, period="2025-03"),
            line(member, WAGE, npp=new.npp, period="2025-02"),
            line(member, WAGE, npp=old.npp, period="2025-02", employment_end="10/02/2025", end_reason="resignation"),
        ],
    )
    employments = list(
        Employment.objects.filter(membership=member).order_by("start").values_list("employer__npp", "start", "end")
    )
    assert employments == [
        (old.npp, month(2025, 1), date(2025, 2, 10)),
        (new.npp, date(2025, 2, 11), None),
    ]
    account = Account.objects.get(membership=member)
    assert (account.balance, account.paid_since, account.last_employer) == (4 * JHT, month(2025, 1), new)


def _membership_reads(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT") and "registry_membership" in query["sql"]
    )


def test_a_backlog_reads_the_members_once_where_month_by_month_reads_them_every_month():
    firm = employer()
    backlog, monthly = [pu_member() for _ in range(4)], [pu_member() for _ in range(4)]
    periods = [month(2023, m) for m in range(1, 13)]
    reads_backlog = _membership_reads(
        lambda: import_month(
            period=periods[0],
            through=periods[-1],
            lines=[row for m in backlog for row in _backlog(m, firm.npp, *periods)],
        )
    )
    reads_monthly = _membership_reads(
        lambda: [import_month(period=p, lines=[line(m, WAGE, npp=firm.npp) for m in monthly]) for p in periods]
    )
    assert reads_backlog <= 2 < 12 <= reads_monthly
    assert Contribution.objects.count() == 2 * 4 * 12
    assert {_run(m) for m in backlog} == {_run(m) for m in monthly} == {(12 * JHT, periods[0], periods[-1])}


def test_a_range_that_ends_before_it_starts_is_an_error():
    with pytest.raises(DomainError) as raised:
        import_month(period=month(2025, 5), through=month(2025, 4), lines=[])
    assert raised.value.code == "period_range"
