"""BPU and PMI self-payments: a batch of (KPJ, declared income) for one month, posted through the same core as
wage reports and recorded as one WageReport of kind `self_payment`; or a batch covering several months (a
payment point's backlog), each line naming its month, one WageReport per month, where a member's months placed
next to each other share one look-up per chunk.

For BPU the amount is the declared income (from Rp1,000,000; JKK 1 %, JKM flat Rp6,800, JHT 2 % if opted). For
PMI it is the member's chosen monthly JHT amount (Rp50,000–600,000), taken 100 %; a PMI member who has not
opted into JHT has nothing to post here (the JKK/JKM placement packages are out of scope).

**Decision:** a self-payment may be for any month from the past up to SELF_PAYMENT_MONTHS_AHEAD months ahead
(members may pay in advance); a later month is refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions import due
from jaminanku.contributions.imports import CHUNK_ROWS, MEMBER_ACCOUNT_FIELDS
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.periods import add_months, month_in_range, month_start
from jaminanku.contributions.posting import PreparedContribution, post_contributions
from jaminanku.contributions.rates import ContributionLines, ScheduleCache, remembered_contribution
from jaminanku.contributions.reportbook import ImportResult, ReportBook, check_paid_on, count_posted, parse_amount
from jaminanku.core.bulk import chunks, rows_for_keys
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Membership, Segment
from jaminanku.registry.validators import digits_of

SELF_PAYMENT_MONTHS_AHEAD = 12
SELF_PAYING = (Segment.BPU, Segment.PMI)


def post_bpu_payments(
    *,
    period: date,
    lines: Iterable[tuple[str, Any]],
    actor: Any = None,
    audit: bool = False,
    filename: str = "",
    paid_on: due.PaidOn | None = None,
) -> ImportResult:
    """Posts BPU/PMI self-payments for `period`, paid on `paid_on` (today when None; due by the 15th of the
    month itself, `due`): each line is (KPJ, declared income or PMI JHT amount).
    Bad lines are refused with their line number (1-based) and reason; a month already paid is a duplicate."""
    period = month_start(period)
    payments = _SelfPayments(
        first=period, last=period, actor=actor, audit=audit, filename=filename, paid_on=check_paid_on(paid_on)
    )
    payments.month_of(period)  # the month's report, even for a batch with no lines
    return payments.run((kpj, amount, period) for kpj, amount in lines)[0]


def post_bpu_months(
    *,
    first: date,
    last: date,
    lines: Iterable[tuple[str, Any, Any]],
    actor: Any = None,
    audit: bool = False,
    filename: str = "",
    paid_on: due.PaidOn | None = None,
) -> list[ImportResult]:
    """Posts the self-payments of the months `first` through `last` at once: each line is (KPJ, amount, its
    month), one report per month that has lines, and the ledger ends as if each month had been posted in turn.
    A line whose month is unreadable or outside the range is refused in the report of `first`. They were paid on
    `paid_on` (today when None; a function of the period for a history posted at once)."""
    first, last = month_start(first), month_start(last)
    if last < first:
        raise DomainError(_("Periode akhir sebelum periode awal."), code="period_range", field="last")
    return _SelfPayments(
        first=first, last=last, actor=actor, audit=audit, filename=filename, paid_on=check_paid_on(paid_on)
    ).run(lines)


class _Member(NamedTuple):
    """A membership as a self-payment reads it, with its JHT account (if any) in the same look-up, handed to
    posting as its `MemberAccount`."""

    id: int
    kpj: str
    segment: str
    jht_opted: bool
    account_id: int | None
    last_paid_period: date | None
    paid_since: date | None


@dataclass(slots=True)
class _Month:
    book: ReportBook
    too_far: bool


class _SelfPayments:
    """The self-payments of the months `first` through `last`, chunk by chunk, one report book per month."""

    def __init__(self, *, first: date, last: date, actor: Any, audit: bool, filename: str, paid_on: due.PaidOn):
        self.first, self.last = first, last
        self.actor, self.audit, self.filename = actor, audit, filename
        self.paid_on = paid_on
        self.limit = add_months(timezone.localdate(), SELF_PAYMENT_MONTHS_AHEAD)
        self.schedules = ScheduleCache()
        self.months: dict[date, _Month] = {}

    def month_of(self, period: date) -> _Month:
        month = self.months.get(period)
        if month is None:
            book = ReportBook(
                period=period,
                kind=WageReport.Kind.SELF_PAYMENT,
                paid_on=self.paid_on,
                actor=self.actor,
                filename=self.filename,
                audit=self.audit,
            )
            book.open({"": None})
            month = self.months[period] = _Month(book, too_far=period > self.limit)
        return month

    def run(self, lines: Iterable[tuple[str, Any, Any]]) -> list[ImportResult]:
        numbered = ((number, *line) for number, line in enumerate(lines, start=1))
        for chunk in chunks(numbered, CHUNK_ROWS):
            with transaction.atomic():
                self._post_chunk(chunk)
                for month in self.months.values():
                    month.book.save()
        return [result for _period, month in sorted(self.months.items()) for result in month.book.finish()]

    def _post_chunk(self, chunk: list[tuple[int, Any, Any, Any]]) -> None:
        rows = []
        for number, kpj, amount, value in chunk:
            # a line outside the batch's months counts in the report of the first
            period, code = month_in_range(value, self.first, self.last)
            rows.append((number, digits_of(kpj), amount, period, code))
        totals = Counter(period for _n, _k, _a, period, _c in rows)
        for period, total in sorted(totals.items()):
            self.month_of(period).book.count("", total=total)
        members: dict[str, _Member] = {}
        for values in rows_for_keys(
            Membership.objects.values_list("id", "kpj", "segment", "jht_opted", *MEMBER_ACCOUNT_FIELDS),
            "kpj",
            sorted({kpj for _n, kpj, _a, _p, code in rows if not code}),
        ):
            member = _Member._make(values)
            members[member.kpj] = member
        valid = []
        for number, kpj, raw, period, code in rows:
            book = self.months[period].book
            found = members.get(kpj)
            income = parse_amount(raw)
            code = code or self._refusal(period, found, income)
            if code:
                book.reject("", number, kpj, code)
                continue
            assert found is not None and income is not None
            try:
                lines = remembered_contribution(
                    wage=income,
                    schedule=self.schedules.get(period, found.segment),
                    risk_class=None,
                    jht_opted=found.jht_opted,
                )
            except DomainError as exc:
                book.reject("", number, kpj, exc.code, message=str(exc.message))
                continue
            valid.append((found.id, income, period, lines))
        self._post(valid, members.values())

    def _refusal(self, period: date, member: _Member | None, income: int | None) -> str:
        if self.months[period].too_far:
            return "period_too_far"
        if member is None:
            return "unknown_kpj"
        if member.segment not in SELF_PAYING:
            return "not_self_paying"
        if member.segment == Segment.PMI and not member.jht_opted:
            return "jht_not_opted"
        if income is None:
            return "wage_invalid"
        return ""

    def _post(self, valid: list[tuple[int, int, date, ContributionLines]], members: Iterable[_Member]) -> None:
        prepared: dict[tuple[int, date], PreparedContribution] = {}
        reports: dict[int, tuple[ReportBook, str]] = {}  # report id -> its book and key
        for mid, income, period, lines in valid:
            book = self.months[period].book
            if (mid, period) in prepared:  # the same KPJ twice in one month
                book.count("", duplicate=1)
                continue
            report_id = book.results[""].report_id
            prepared[mid, period] = PreparedContribution(
                membership_id=mid,
                employer_id=None,
                period=period,
                wage=income,
                risk_class=None,
                lines=lines,
                report_id=report_id,
            )
            reports[report_id] = (book, "")
        posted = post_contributions(list(prepared.values()), members=members, now=timezone.now())
        count_posted(prepared.values(), posted, reports)
