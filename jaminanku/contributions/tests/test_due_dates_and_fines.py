"""Due dates and late fines (RULES.md: due by the 15th of the following month, the next working day when that is
not one; 2 % per month late on the amount due, borne by the employer; BPU due by the 15th of the same month),
worked out by hand, through the posting services."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from jaminanku.contributions.arrears import last_overdue_period, months_owed
from jaminanku.contributions.due import due_date, months_late, self_payment_due_date, wage_report_due_date
from jaminanku.contributions.imports import import_month, import_wage_lines
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.selfpay import post_bpu_months, post_bpu_payments
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.core.errors import DomainError
from jaminanku.registry.tests.factories import MembershipFactory

# Wage Rp4,000,000, JKK risk class 1: employer JHT 3.7 % 148,000 + JKK 0.24 % 9,600 + JKM 0.30 % 12,000 + JP 2 %
# 80,000 = 249,600; worker JHT 2 % 80,000 + JP 1 % 40,000 = 120,000. Due: 369,600; 2 % of it is 7,392.
DUE_4M = 369_600


@pytest.mark.parametrize(
    ("period", "kind", "expected"),
    [
        (month(2024, 1), "wage_report", date(2024, 2, 15)),  # a Thursday
        (month(2024, 3), "wage_report", date(2024, 4, 16)),  # 15/04/2024 is cuti bersama (Idul Fitri)
        (month(2024, 5), "wage_report", date(2024, 6, 19)),  # Sat 15, Sun 16, Idul Adha 17, cuti bersama 18
        (month(2024, 8), "wage_report", date(2024, 9, 17)),  # Sun 15, Maulid Nabi Mon 16
        (month(2024, 3), "self_payment", date(2024, 3, 15)),  # BPU: the 15th of the same month, a Friday
        (month(2024, 6), "self_payment", date(2024, 6, 19)),  # BPU: Sat 15 moves past the same holidays
    ],
)
def test_due_date_is_the_15th_or_the_next_working_day(period, kind, expected):
    assert due_date(period, kind) == expected


@pytest.mark.parametrize(
    ("paid_on", "months"),
    [
        (date(2024, 2, 15), 0),
        (date(2024, 2, 16), 1),  # a day late is a month begun
        (date(2024, 3, 15), 1),
        (date(2024, 3, 16), 2),
        (date(2024, 5, 15), 3),
    ],
)
def test_months_late_count_each_month_begun_after_the_due_date(paid_on, months):
    assert months_late(date(2024, 2, 15), paid_on) == months


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("paid_on", "days", "fine"),
    [
        (date(2024, 2, 15), 0, 0),  # on the due date
        (date(2024, 2, 16), 1, 7_392),  # 1 month late: 2 % of 369,600
        (date(2024, 3, 15), 29, 7_392),  # still within the first month (2024 is a leap year)
        (date(2024, 3, 16), 30, 14_784),  # 2 months late: 4 %
    ],
)
def test_a_wage_report_paid_late_carries_two_percent_a_month(paid_on, days, fine):
    company, member = employer(), pu_member()
    result = import_wage_lines(npp=company.npp, period=month(2024, 1), lines=[line(member, 4_000_000)], paid_on=paid_on)
    assert (result.due_date, result.paid_on, result.amount_due) == (date(2024, 2, 15), paid_on, DUE_4M)
    assert (result.days_late, result.late_fine) == (days, fine)
    report = WageReport.objects.get(pk=result.report_id)
    assert (report.due_date, report.paid_on, report.amount_due, report.late_fine) == (
        date(2024, 2, 15),
        paid_on,
        DUE_4M,
        fine,
    )
    assert report.days_late == days


@pytest.mark.django_db
def test_paid_on_the_working_day_after_a_holiday_15th_is_on_time():
    company, member = employer(), pu_member()
    result = import_wage_lines(
        npp=company.npp, period=month(2024, 3), lines=[line(member, 4_000_000)], paid_on=date(2024, 4, 16)
    )
    assert (result.due_date, result.days_late, result.late_fine) == (date(2024, 4, 16), 0, 0)


@pytest.mark.django_db
def test_the_fine_is_on_the_report_total_and_only_rows_it_posted():
    company, first, second = employer(), pu_member(), pu_member()
    # second member: employer 114,700 + 7,440 + 9,300 + 62,000, worker 62,000 + 31,000 = 286,440
    import_wage_lines(npp=company.npp, period=month(2024, 1), lines=[line(first, 4_000_000)], paid_on=date(2024, 2, 1))
    late = import_wage_lines(
        npp=company.npp,
        period=month(2024, 1),
        lines=[line(first, 4_000_000), line(second, 3_100_000)],  # the first row is already posted
        paid_on=date(2024, 2, 20),
    )
    assert (late.rows_posted, late.rows_duplicate, late.amount_due) == (1, 1, 286_440)
    assert late.late_fine == 5_729  # 2 % of 286,440 = 5,728.8, rounded half up


@pytest.mark.django_db
def test_a_backlog_paid_at_once_is_late_month_by_month():
    company, member = employer(), pu_member()
    lines = [line(member, 4_000_000, npp=company.npp, period=month(2024, m)) for m in (1, 2, 3)]
    results = import_month(period=month(2024, 1), through=month(2024, 3), lines=lines, paid_on=date(2024, 4, 16))
    assert [(r.period, r.due_date, r.months_late, r.late_fine) for r in results] == [
        (month(2024, 1), date(2024, 2, 15), 3, 22_176),  # 6 %
        (month(2024, 2), date(2024, 3, 15), 2, 14_784),  # 4 %
        (month(2024, 3), date(2024, 4, 16), 0, 0),
    ]


@pytest.mark.django_db
def test_a_history_can_be_posted_with_each_month_paid_on_its_own_day():
    company, member = employer(), pu_member()
    lines = [line(member, 4_000_000, npp=company.npp, period=month(2024, m)) for m in (1, 2)]
    results = import_month(period=month(2024, 1), through=month(2024, 2), lines=lines, paid_on=wage_report_due_date)
    assert [(r.paid_on, r.late_fine) for r in results] == [(date(2024, 2, 15), 0), (date(2024, 3, 15), 0)]


@pytest.mark.django_db
def test_a_self_payment_is_due_the_15th_of_its_own_month_and_carries_no_fine():
    member = MembershipFactory(segment="BPU", jht_opted=True)
    on_time = post_bpu_payments(period=month(2024, 3), lines=[(member.kpj, 2_000_000)], paid_on=date(2024, 3, 15))
    assert (on_time.due_date, on_time.days_late, on_time.amount_due, on_time.late_fine) == (
        date(2024, 3, 15),
        0,
        66_800,  # JKK 1 % 20,000 + JKM 6,800 + JHT 2 % 40,000
        0,
    )
    [late] = post_bpu_months(
        first=month(2024, 4), last=month(2024, 4), lines=[(member.kpj, 2_000_000, "2024-04")], paid_on=date(2024, 5, 2)
    )
    # 15/04/2024 is cuti bersama: due the 16th, so paid 16 days late, without a fine
    assert (late.due_date, late.days_late, late.late_fine) == (date(2024, 4, 16), 16, 0)
    assert self_payment_due_date(month(2024, 4)) == date(2024, 4, 16)


@pytest.mark.django_db
def test_a_payment_day_in_the_future_is_refused():
    company, member = employer(), pu_member()
    with pytest.raises(DomainError) as refused:
        import_wage_lines(
            npp=company.npp, period=month(2024, 1), lines=[line(member, 4_000_000)], paid_on=date(2999, 1, 1)
        )
    assert (refused.value.code, refused.value.field) == ("paid_on_future", "paid_on")
    assert not WageReport.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_fine_on_a_report_paid_on_time_or_on_a_self_payment():
    base = {"period": month(2024, 1), "due_date": date(2024, 2, 15), "amount_due": 100_000}
    with pytest.raises(IntegrityError), transaction.atomic():
        WageReport.objects.create(**base, paid_on=date(2024, 2, 15), late_fine=2_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        WageReport.objects.create(**base, kind="self_payment", paid_on=date(2024, 3, 1), late_fine=2_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        WageReport.objects.create(period=month(2024, 1), due_date=date(2024, 2, 15))  # due without a day paid
    WageReport.objects.create(**base, paid_on=date(2024, 3, 1), late_fine=2_000)


def test_months_owed_run_from_the_month_after_the_last_paid_to_the_last_overdue():
    assert last_overdue_period(date(2024, 4, 16)) == month(2024, 2)  # 03/2024 is due that very day
    assert last_overdue_period(date(2024, 4, 17)) == month(2024, 3)
    owed = months_owed(last_paid_period=month(2024, 1), open_since=date(2023, 6, 10), today=date(2024, 4, 17))
    assert owed is not None
    assert (owed.first, owed.last, owed.count, owed.first_due_date) == (
        month(2024, 2),
        month(2024, 3),
        2,
        date(2024, 3, 15),
    )
    # never paid: from the month the open employment began
    owed = months_owed(last_paid_period=None, open_since=date(2024, 3, 20), today=date(2024, 4, 17))
    assert owed is not None and (owed.first, owed.count) == (month(2024, 3), 1)
    assert months_owed(last_paid_period=month(2024, 3), open_since=date(2023, 6, 10), today=date(2024, 4, 17)) is None
    assert months_owed(last_paid_period=None, open_since=None, today=date(2024, 4, 17)) is None
