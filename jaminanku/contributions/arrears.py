"""Employers in arrears (menunggak): reads for the staff list of employers that owe months of contributions past
their due date (`due`), or that paid late and owe fines.

**(decision)** An employer owes a month when it has a worker still employed (an employment with no end date that
began in or before that month), the month's due date has passed, and no wage report of the employer posted a row
for that month or a later one: the months owed run from the month after its latest paid month (or from the month
its earliest still-open employment began) through the latest month whose due date has passed. Months of workers
who have left and gaps before the latest paid month are not counted. Fines are those of its late reports
(`WageReport.late_fine`); payments of fines are not recorded, so every fine assessed is shown.

Each figure is a correlated subquery on an index (wage reports by employer and period, employments by employer),
so a page of the list costs one query whatever the number of employers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jaminanku.contributions.due import wage_report_due_date
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.periods import add_months, month_end, month_start
from jaminanku.registry.models import Employer, Employment


def last_overdue_period(today: date) -> date:
    """The latest month whose wage-report due date is before `today`."""
    period = add_months(month_start(today), -1)
    while wage_report_due_date(period) >= today:
        period = add_months(period, -1)
    return period


def with_payment_state(employers: QuerySet[Employer]) -> QuerySet[Employer]:
    """`employers` with `last_paid_period` (latest month a wage report of theirs posted rows for), `open_since`
    (start of their earliest employment still open) and `late_fines` (the fines of their late reports)."""
    reports = WageReport.objects.filter(employer=OuterRef("pk"), kind=WageReport.Kind.WAGE_REPORT)
    return employers.annotate(
        last_paid_period=Subquery(reports.filter(rows_posted__gt=0).order_by("-period").values("period")[:1]),
        open_since=Subquery(
            Employment.objects.filter(employer=OuterRef("pk"), end__isnull=True).order_by("start").values("start")[:1]
        ),
        late_fines=Coalesce(
            Subquery(
                reports.filter(late_fine__gt=0)
                .order_by()
                .values("employer")
                .annotate(total=Sum("late_fine"))
                .values("total"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def in_arrears(employers: QuerySet[Employer], *, today: date | None = None) -> QuerySet[Employer]:
    """Those of `employers` (annotated by `with_payment_state`) that owe at least one month past its due date."""
    overdue = last_overdue_period(today or timezone.localdate())
    return employers.filter(
        Q(open_since__isnull=False, open_since__lte=month_end(overdue)),
        Q(last_paid_period__isnull=True) | Q(last_paid_period__lt=overdue),
    )


@dataclass(frozen=True)
class MonthsOwed:
    first: date  # the first month owed
    last: date
    count: int

    @property
    def first_due_date(self) -> date:
        return wage_report_due_date(self.first)


def months_owed(
    *, last_paid_period: date | None, open_since: date | None, today: date | None = None
) -> MonthsOwed | None:
    """The months an employer owes (see the module's rule), or None when it owes none."""
    if open_since is None:
        return None
    last = last_overdue_period(today or timezone.localdate())
    first = month_start(open_since)
    if last_paid_period is not None:
        first = max(first, add_months(last_paid_period, 1))
    if first > last:
        return None
    return MonthsOwed(first, last, (last.year - first.year) * 12 + last.month - first.month + 1)
