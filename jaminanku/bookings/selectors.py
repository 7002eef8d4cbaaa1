"""Reads for the queue pages and API: bookable branches by province, a member's own bookings, whether a member
may book a JHT claim (and from when), and a branch's day list for the counter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from jaminanku.bookings.calendar import SLOT_HOURS, local_now
from jaminanku.bookings.models import Booking, Slot
from jaminanku.claims.selectors import eligibility_for
from jaminanku.core.errors import NotFound
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership, Person, Province

BOOKABLE_KINDS = (Office.Kind.BRANCH, Office.Kind.SMALL_BRANCH)


def bookable_offices() -> QuerySet[Office]:
    return Office.objects.filter(active=True, kind__in=BOOKABLE_KINDS).order_by("name")


def provinces_with_branches() -> QuerySet[Province]:
    return Province.objects.filter(code__in=bookable_offices().values("province_id")).order_by("name")


def branches_in(province_code: str) -> QuerySet[Office]:
    if "\x00" in province_code:  # PostgreSQL refuses NUL in a query; no province code has one
        return Office.objects.none()
    return bookable_offices().filter(province_id=province_code)


def bookable_office(code: str) -> Office:
    # PostgreSQL refuses NUL in a query; no office code has one
    office = bookable_offices().filter(code=code).first() if "\x00" not in code else None
    if office is None:
        raise NotFound(code="office_not_found", field="office")
    return office


def bookings_of(person: Person) -> QuerySet[Booking]:
    return Booking.objects.filter(person=person).select_related("slot__office").order_by("-slot__day", "-slot__hour")


def booking_of(person: Person, code: str) -> Booking:
    """One of the person's own bookings; another person's code is simply not found."""
    code = (code or "").strip().upper()[:12]
    booking = bookings_of(person).filter(code=code).first() if "\x00" not in code else None  # PostgreSQL refuses NUL
    if booking is None:
        raise NotFound(code="booking_not_found")
    return booking


@dataclass(frozen=True)
class ServiceEligibility:
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    allowed_from: date | None = None
    membership: Membership | None = None  # the KPJ a claim booking is for, when allowed


def jht_claim_eligibility(
    person: Person,
    *,
    office: Office | None = None,
    membership: Membership | None = None,
    now: datetime | None = None,
) -> ServiceEligibility:
    """Whether a JHT-claim booking is allowed (on `membership`, or on any of the person's KPJs); if not, why not
    and the earliest day a full claim opens (when the rules can tell).

    The day that counts is the branch's own date (WIB, WITA or WIT), the date the whole booking is made on: just
    after midnight in Jayapura it is still the day before in Jakarta. Before a branch is chosen, the member is
    refused only when no zone's date allows it, so no branch they could still choose is turned down in advance."""
    now = now or timezone.now()
    if office is not None:
        days = [local_now(office, now).date()]
    else:
        days = sorted({now.astimezone(ZoneInfo(zone)).date() for zone in Office.TimeZone.values}, reverse=True)
    candidates = [membership] if membership is not None else list(person.memberships.select_related("person"))
    refusals = [_claim_eligibility_on(day, candidates) for day in days]
    return next((answer for answer in refusals if answer.allowed), refusals[0])


def _claim_eligibility_on(today: date, memberships: list[Membership]) -> ServiceEligibility:
    reasons: list[str] = []
    opens: list[date] = []
    for membership in memberships:
        answer = eligibility_for(membership, today=today)
        if answer.can_claim:
            return ServiceEligibility(allowed=True, membership=membership)
        reasons += answer.reasons
        if answer.full_claim_from is not None:
            opens.append(answer.full_claim_from)
    return ServiceEligibility(
        allowed=False, reasons=list(dict.fromkeys(reasons)), allowed_from=min(opens, default=None)
    )


@dataclass(frozen=True)
class SlotRow:
    hour: int
    capacity: int
    booked: int
    closed: bool
    bookings: list[Booking]

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00–{self.hour + 1:02d}:00"


def day_list(office: Office, day: date) -> list[SlotRow]:
    """The counter's list for one branch and day: every hourly slot with its capacity and its bookings."""
    slots = {s.hour: s for s in Slot.objects.filter(office=office, day=day)}
    bookings: dict[int, list[Booking]] = {hour: [] for hour in SLOT_HOURS}
    for booking in (
        Booking.objects.filter(slot__office=office, slot__day=day)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("person", "slot")
        .order_by("slot__hour", "created_at")
    ):
        bookings.setdefault(booking.slot.hour, []).append(booking)
    rows = []
    for hour in SLOT_HOURS:
        slot = slots.get(hour)
        rows.append(
            SlotRow(
                hour=hour,
                capacity=slot.capacity if slot else office.queue_capacity,
                booked=slot.booked if slot else 0,
                closed=slot.closed if slot else False,
                bookings=bookings.get(hour, []),
            )
        )
    return rows


def office_today(office: Office, now: datetime | None = None) -> date:
    return local_now(office, now).date()
