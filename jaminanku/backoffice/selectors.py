"""The staff dashboard's figures: today's queue per branch, open and overdue account-reset requests, and the last
wage-report imports and crediting runs. Each part appears only to a role that may see it, and a branch officer's
queue and requests are those of their own branch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jaminanku.accounts.models import AccountResetRequest
from jaminanku.bookings.models import Booking, Slot
from jaminanku.contributions.models import CreditingRun, WageReport
from jaminanku.staff.roles import branch_of

RECENT = 5


@dataclass(frozen=True)
class BranchQueue:
    office: str
    capacity: int
    booked: int
    checked_in: int
    served: int
    no_show: int
    closed_slots: int


@dataclass
class Dashboard:
    today: date
    queues: list[BranchQueue] | None = None
    resets_open: int = 0
    resets_overdue: int = 0
    resets_next: list[AccountResetRequest] = field(default_factory=list)
    show_resets: bool = False
    imports: list[WageReport] | None = None
    crediting_runs: list[CreditingRun] | None = None


def _scoped(queryset: QuerySet[Any], user: Any, office_path: str) -> QuerySet[Any]:
    office = branch_of(user)
    return queryset if office is None else queryset.filter(**{f"{office_path}_id": office})


def _queues(user: Any, today: date) -> list[BranchQueue]:
    slots = _scoped(Slot.objects.filter(day=today), user, "office")
    totals = {
        row["office__name"]: row
        for row in slots.values("office__name").annotate(
            capacity=Sum("capacity"), closed=Count("id", filter=Q(closed=True))
        )
    }
    statuses = (
        _scoped(Booking.objects.filter(slot__day=today), user, "slot__office")
        .values("slot__office__name", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in statuses:
        counts.setdefault(row["slot__office__name"], {})[row["status"]] = row["n"]
    status = Booking.Status
    return [
        BranchQueue(
            office=name,
            capacity=row["capacity"] or 0,
            booked=counts.get(name, {}).get(status.BOOKED, 0),
            checked_in=counts.get(name, {}).get(status.CHECKED_IN, 0),
            served=counts.get(name, {}).get(status.SERVED, 0),
            no_show=counts.get(name, {}).get(status.NO_SHOW, 0),
            closed_slots=row["closed"],
        )
        for name, row in sorted(totals.items())
    ]


def dashboard(user: Any, *, today: date) -> Dashboard:
    result = Dashboard(today=today)
    if user.has_perm("bookings.view_booking"):
        result.queues = _queues(user, today)
    if user.has_perm("accounts.view_accountresetrequest"):
        open_requests = _scoped(
            AccountResetRequest.objects.filter(status=AccountResetRequest.Status.RECEIVED), user, "office"
        )
        result.show_resets = True
        result.resets_open = open_requests.count()
        result.resets_overdue = open_requests.filter(due_on__lt=today).count()
        result.resets_next = list(open_requests.select_related("person").order_by("due_on", "received_at")[:RECENT])
    if user.has_perm("contributions.view_wagereport"):
        result.imports = list(WageReport.objects.select_related("employer").order_by("-imported_at")[:RECENT])
    if user.has_perm("contributions.view_creditingrun"):
        result.crediting_runs = list(CreditingRun.objects.order_by("-started_at")[:RECENT])
    return result
