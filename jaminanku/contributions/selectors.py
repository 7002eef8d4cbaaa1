"""Reads for member pages, the API and staff: per-program membership status, the JHT balance, and the months of
contributions with their payment (on time, late, unpaid: `payment_months`). Each costs a constant number of
queries, whatever the length of the member's history.

Status rules (RULES.md, decision):
- PU (and Jakon, whose cover also follows its project employment): active while the membership's latest
  employment has no end date or ends today or later; non-active from the day after the end date. No
  employment at all: non-active since registration. JP only while under the pension age in force (the
  pension-age table); a worker hired at or above it is not enrolled in JP.
- BPU and PMI: active while contributions are paid for the current or the previous month, i.e. while the run
  of paid months [Account.paid_since, Account.last_paid_period] reaches the previous month; non-active from the
  first day of the month after cover lapsed (paid through January: still active in February, non-active from
  1 March). PMI JKK/JKM placement packages are out of scope, so a PMI member's status follows their JHT payments.
- Programs a segment lacks are "not_enrolled" (table in RULES.md); JHT is optional for BPU and PMI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions import due
from jaminanku.contributions.models import Account, Contribution, Program
from jaminanku.contributions.periods import add_months, month_end, month_start
from jaminanku.contributions.rates import PensionAges
from jaminanku.registry.models import Employment, Membership, Segment

ACTIVE = "active"
NON_ACTIVE = "non_active"
NOT_ENROLLED = "not_enrolled"
STATUS_LABELS = {ACTIVE: _("Aktif"), NON_ACTIVE: _("Non-aktif"), NOT_ENROLLED: _("Tidak terdaftar")}
PROGRAMS = (Program.JHT, Program.JKK, Program.JKM, Program.JP, Program.JKP)


@dataclass(frozen=True)
class ProgramStatus:
    program: str
    status: str
    since: date | None  # the day this status began (None when not enrolled or unknown)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class MembershipStatus:
    membership_id: int
    kpj: str
    segment: str
    today: date
    programs: dict[str, ProgramStatus] = field(default_factory=dict)

    def __getitem__(self, program: str) -> ProgramStatus:
        return self.programs[program]

    # Worked out once per status (cached_property keeps them beside the frozen fields): a template or an answer
    # reads each of them several times, `since` reads the other two, and the balance read is the members' hottest.
    @cached_property
    def is_active(self) -> bool:
        return any(p.is_active for p in self.programs.values())

    @cached_property
    def status(self) -> str:
        """The membership as a whole: active when any program is."""
        return ACTIVE if self.is_active else NON_ACTIVE

    @cached_property
    def since(self) -> date | None:
        dates = [p.since for p in self.programs.values() if p.status == self.status and p.since]
        if not dates:
            return None
        return min(dates) if self.is_active else max(dates)


class EmploymentDates(NamedTuple):
    """An employment's start and end, all that the status reads of it: the hot read passes these instead of
    building a model instance for each KPJ's latest employment."""

    start: date
    end: date | None


Span = Employment | EmploymentDates


def _employment_state(membership: Membership, latest: Span | None, today: date) -> tuple[str, date | None, Span | None]:
    if latest is None:
        return NON_ACTIVE, membership.registered_on, None
    if latest.end is None or latest.end >= today:
        return ACTIVE, latest.start, latest
    return NON_ACTIVE, latest.end + timedelta(days=1), latest


def _payment_state(
    membership: Membership, paid: tuple[date | None, date | None], today: date
) -> tuple[str, date | None]:
    last, since = paid
    current = month_start(today)
    previous = add_months(current, -1)
    if last is None:
        return NON_ACTIVE, membership.registered_on
    if last < previous:
        return NON_ACTIVE, add_months(last, 2)
    if since is not None and since > current:  # only months ahead paid, after a gap we cannot date
        return NON_ACTIVE, None
    return ACTIVE, since or last


def _jp_status(
    base: tuple[str, date | None], employment: Span | None, pension_date: date | None, today: date
) -> tuple[str, date | None]:
    status, since = base
    if pension_date is None or employment is None:
        return base
    if pension_date <= employment.start:
        return NOT_ENROLLED, None
    if status == ACTIVE and pension_date <= today:
        return NON_ACTIVE, pension_date
    if status == NON_ACTIVE and since is not None and pension_date < since:
        return NON_ACTIVE, pension_date
    return base


def membership_status(membership: Membership, *, today: date | None = None) -> MembershipStatus:
    """Per-program status (active / non_active / not_enrolled) of one membership, with the day it began."""
    segment = membership.segment
    latest, paid, ages = None, None, None
    if segment in (Segment.PU, Segment.JAKON):
        # The (membership, -start) index makes this one cheap lookup.
        latest = Employment.objects.filter(membership=membership).order_by("-start", "-id").first()
        ages = PensionAges() if segment == Segment.PU else None
    elif segment in (Segment.BPU, Segment.PMI):
        paid = Account.objects.filter(membership=membership).values_list("last_paid_period", "paid_since").first()
    return status_from_facts(membership, today=today, latest=latest, paid=paid, pension_ages=ages)


def status_from_facts(
    membership: Membership,
    *,
    today: date | None = None,
    latest: Span | None = None,
    paid: tuple[date | None, date | None] | None = None,
    pension_ages: PensionAges | None = None,
) -> MembershipStatus:
    """The status from facts already read: the membership's latest employment (PU/Jakon; only its start and end
    are read), its account's (last_paid_period, paid_since) (BPU/PMI) and the pension-age table (PU). For a
    caller that read them with its own query (the member's hot balance read, jaminanku.member.selectors_hot)."""
    today = today or timezone.localdate()
    segment = membership.segment
    states: dict[str, tuple[str, date | None]] = dict.fromkeys(PROGRAMS, (NOT_ENROLLED, None))
    if segment in (Segment.PU, Segment.JAKON):
        status, since, employment = _employment_state(membership, latest, today)
        base = (status, since)
        states[Program.JKK] = states[Program.JKM] = base
        if segment == Segment.PU:
            states[Program.JHT] = states[Program.JKP] = base
            pension_date = (pension_ages or PensionAges()).pension_date(membership.person.date_of_birth)
            states[Program.JP] = _jp_status(base, employment, pension_date, today)
    elif segment in (Segment.BPU, Segment.PMI):
        base = _payment_state(membership, paid or (None, None), today)
        states[Program.JKK] = states[Program.JKM] = base
        if membership.jht_opted:
            states[Program.JHT] = base
    return MembershipStatus(
        membership_id=membership.pk,
        kpj=membership.kpj,
        segment=segment,
        today=today,
        programs={program: ProgramStatus(program, *state) for program, state in states.items()},
    )


def jht_balance_for(membership: Membership) -> int:
    """The JHT balance in rupiah: one indexed row read."""
    balance = Account.objects.filter(membership=membership).values_list("balance", flat=True).first()
    return int(balance or 0)


# --- contribution months and their payment (RULES.md: due dates and fines; `due`) ------------------------------

ON_TIME = "on_time"
LATE = "late"
UNPAID = "unpaid"
NOT_DUE = "not_due"
PAID = "paid"  # paid by a report posted before payment days were recorded: its timing is unknown
PAYMENT_LABELS = {
    ON_TIME: _("Dibayar tepat waktu"),
    LATE: _("Dibayar terlambat"),
    UNPAID: _("Belum dibayar"),
    NOT_DUE: _("Belum jatuh tempo"),
    PAID: _("Dibayar"),
}


@dataclass(frozen=True)
class MonthPayment:
    period: date
    due_date: date
    paid_on: date | None
    state: str  # one of PAYMENT_LABELS
    days_late: int

    @property
    def label(self) -> str:
        return str(PAYMENT_LABELS[self.state])


def payment_months(membership: Membership, *, year: int, today: date | None = None) -> list[MonthPayment]:
    """The months of `year` (up to the current month) for which contributions of this KPJ are paid or owed, each
    marked paid on time, paid late (with the days after its due date), unpaid past its due date, or not due yet.
    A month is owed while a PU/Jakon member was employed in it, and for BPU/PMI from their first paid month on
    (their cover lapses when they stop). A month paid by two reports shows the later payment. Three queries."""
    today = today or timezone.localdate()
    first, last = date(year, 1, 1), min(date(year, 12, 1), month_start(today))
    if last < first:
        return []
    kind = due.SELF_PAYMENT if membership.segment in (Segment.BPU, Segment.PMI) else due.WAGE_REPORT
    paid = _latest_payments(membership, first=first, last=last)
    owed = _owed_months(membership, kind=kind, first=first, last=last)
    return [_month_payment(period, paid.get(period), kind=kind, today=today) for period in sorted(owed | set(paid))]


def _latest_payments(membership: Membership, *, first: date, last: date) -> dict[date, tuple[date | None, date | None]]:
    """Per month from `first` to `last` paid for this KPJ, the due date and day paid of its latest payment (the
    report's; None for a report posted before payment days were recorded)."""
    paid: dict[date, tuple[date | None, date | None]] = {}
    for period, due_date, paid_on in Contribution.objects.filter(
        membership=membership, reversed_at__isnull=True, period__gte=first, period__lte=last
    ).values_list("period", "report__due_date", "report__paid_on"):
        known = paid.get(period)
        if known is None or (paid_on is not None and (known[1] is None or paid_on > known[1])):
            paid[period] = (due_date, paid_on)
    return paid


def _owed_months(membership: Membership, *, kind: str, first: date, last: date) -> set[date]:
    """The months from `first` to `last` for which contributions are owed: while a PU/Jakon member was employed,
    and for BPU/PMI from their first paid month on."""
    owed: set[date] = set()
    if kind == due.WAGE_REPORT:
        for start, end in Employment.objects.filter(membership=membership, start__lte=month_end(last)).values_list(
            "start", "end"
        ):
            period = max(first, month_start(start))
            stop = last if end is None else min(last, month_start(end))
            while period <= stop:
                owed.add(period)
                period = add_months(period, 1)
        return owed
    since = Contribution.objects.filter(membership=membership, reversed_at__isnull=True).aggregate(first=Min("period"))[
        "first"
    ]
    month: date | None = max(first, since) if since is not None else None
    while month is not None and month <= last:
        owed.add(month)
        month = add_months(month, 1)
    return owed


def _month_payment(
    period: date, payment: tuple[date | None, date | None] | None, *, kind: str, today: date
) -> MonthPayment:
    """How `period` stands: paid on time or late by its latest `payment` (due date, day paid), paid at an unknown
    time, or unpaid, past its due date or not."""
    if payment is None:
        due_date = due.due_date(period, kind)
        return MonthPayment(period, due_date, None, UNPAID if due_date < today else NOT_DUE, 0)
    reported_due, paid_on = payment
    if reported_due is None or paid_on is None:
        return MonthPayment(period, due.due_date(period, kind), None, PAID, 0)
    late = due.days_late(reported_due, paid_on)
    return MonthPayment(period, reported_due, paid_on, LATE if late else ON_TIME, late)
