"""The queue side of the claim desk: the JHT-claim bookings checked in at the officer's branch today, from which
a claim is filed at the counter, and what each of the member's KPJs may claim there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jaminanku.bookings.models import Booking, Service
from jaminanku.bookings.selectors import office_today
from jaminanku.claims.eligibility import ClaimOption, Eligibility
from jaminanku.claims.models import JhtClaim, PayoutAccount
from jaminanku.claims.selectors import eligibility_for
from jaminanku.core.errors import NotFound
from jaminanku.registry.models import Membership, Person
from jaminanku.staff.roles import branch_of


def _checked_in(user: Any) -> QuerySet[Booking]:
    bookings = Booking.objects.filter(status=Booking.Status.CHECKED_IN, service=Service.JHT_CLAIM).select_related(
        "person", "membership", "slot__office"
    )
    scope = branch_of(user)
    return bookings if scope is None else bookings.filter(slot__office_id=scope)


def checked_in_claim_bookings(user: Any) -> list[Booking]:
    """Members waiting at the counter for a JHT claim today, in the order of their slots."""
    rows = list(_checked_in(user).order_by("slot__day", "slot__hour", "created_at"))
    return [b for b in rows if b.slot.day == office_today(b.slot.office)]


def checked_in_booking(user: Any, code: str) -> Booking:
    """A JHT-claim booking checked in at the officer's branch; NotFound for any other (another branch's too)."""
    booking = _checked_in(user).filter(code=(code or "").strip().upper()[:12]).first()
    if booking is None:
        raise NotFound(code="booking_not_found")
    return booking


@dataclass(frozen=True)
class CounterOption:
    option: ClaimOption
    ground_label: str

    @property
    def kind(self) -> str:
        return self.option.kind


@dataclass(frozen=True)
class CounterChoice:
    membership: Membership
    eligibility: Eligibility
    options: list[CounterOption]  # those that may be filed at a branch


def counter_choices(booking: Booking) -> list[CounterChoice]:
    """Each KPJ of the booking's member with the claims a branch may file for it (the booked KPJ first)."""
    memberships = sorted(
        booking.person.memberships.all(), key=lambda m: (m.pk != booking.membership_id, m.registered_on)
    )
    choices = []
    for membership in memberships:
        answer = eligibility_for(membership)
        options = [
            CounterOption(o, str(JhtClaim.Ground(o.ground).label) if o.ground else "")
            for o in answer.options
            if "branch" in o.channels
        ]
        choices.append(CounterChoice(membership, answer, options))
    return choices


def kept_account(person: Person) -> PayoutAccount | None:
    """The member's payout account kept from an earlier claim: a counter claim uses it when no other is given."""
    return PayoutAccount.objects.filter(person=person).first()
