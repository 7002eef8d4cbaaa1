"""The branch queue: calendar in the branch's time zone around Eid 2026, booking rules, check-in, no-shows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jaminanku.bookings.calendar import bookable_days, free_days
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.services import (
    SlotFull,
    book_slot,
    cancel_booking,
    check_in,
    close_slots,
    mark_no_shows,
    mark_served,
    reschedule_booking,
)
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import line, month, pu_member, resigned_member
from jaminanku.core.errors import DomainError
from jaminanku.offices.models import Office
from jaminanku.registry.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
# Monday 16 March 2026, 10:00 WIB: the week before Nyepi and Idul Fitri 1447 H.
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=WIB)


@pytest.fixture
def branch():
    return Office.objects.create(
        code="KC3273",
        name="Kantor Cabang Bandung",
        kind="kc",
        province_id="32",
        time_zone="Asia/Jakarta",
        queue_capacity=3,
    )


@pytest.fixture
def eligible():
    """Resigned 31/12/2025 after a year of contributions: claimable from 31/01/2026."""
    return resigned_member(first=date(2025, 1, 1), last=date(2025, 12, 31), wage=4_000_000).person


def test_calendar_skips_nyepi_and_eid_collective_leave(branch):
    days = bookable_days(branch, now=NOW)
    assert days[0] == date(2026, 3, 17)  # the next working day, not today
    for closed in [date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)]:
        assert closed not in days
    assert date(2026, 3, 25) in days and days[-1] == date(2026, 3, 30)  # 14 days ahead, weekends out
    assert len(days) == 5  # 17, 25, 26, 27, 30 March


def test_wita_branch_counts_days_in_its_own_time_zone(branch):
    makassar = Office.objects.create(
        code="KC7371", name="KC Makassar", kind="kc", province_id="73", time_zone="Asia/Makassar"
    )
    # 23:30 WIB on Friday 27 March is already Saturday 00:30 WITA: the calendar starts after the weekend.
    late = datetime(2026, 3, 27, 23, 30, tzinfo=WIB)
    assert bookable_days(branch, now=late)[0] == date(2026, 3, 30)
    assert bookable_days(makassar, now=late)[0] == date(2026, 3, 30)
    assert bookable_days(makassar, now=late)[-1] == date(2026, 4, 10)  # 28 March + 14 days = 11 April (Sat)
    assert date(2026, 4, 3) not in bookable_days(makassar, now=late)  # Good Friday


def test_book_cancel_and_reschedule(branch, eligible):
    booking = book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    assert len(booking.code) == 8 and Slot.objects.get(hour=9).booked == 1
    moved = reschedule_booking(booking=booking, day=date(2026, 3, 25), hour=14, now=NOW)
    assert Slot.objects.get(day=date(2026, 3, 17), hour=9).booked == 0
    assert Slot.objects.get(day=date(2026, 3, 25), hour=14).booked == 1
    cancel_booking(booking=moved, now=NOW)
    assert Slot.objects.get(day=date(2026, 3, 25), hour=14).booked == 0
    assert Booking.objects.filter(status="booked").count() == 0


def test_one_active_booking_per_service(branch, eligible):
    book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    with pytest.raises(DomainError) as err:
        book_slot(person=eligible, office=branch, day=date(2026, 3, 25), hour=9, now=NOW)
    assert err.value.code == "already_booked"
    assert not Slot.objects.filter(day=date(2026, 3, 25), hour=9, booked__gt=0).exists()  # no place kept


def test_full_slot_says_penuh_and_suggests_another(branch, eligible):
    Slot.objects.create(office=branch, day=date(2026, 3, 17), hour=8, capacity=3, booked=3)
    with pytest.raises(SlotFull) as err:
        book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=8, now=NOW)
    assert err.value.extra["suggestion"] == {"day": "2026-03-17", "hour": 9}


def test_not_eligible_member_is_told_why_and_from_when(branch):
    membership = pu_member(registered_on=date(2020, 1, 1))  # six years: no partial claim either
    EmploymentFactory(membership=membership, start=date(2020, 1, 1), end=date(2026, 3, 10), end_reason="resignation")
    import_month(
        period=month(2026, 2), lines=[line(membership, 4_000_000, npp=membership.employments.get().employer.npp)]
    )
    with pytest.raises(DomainError) as err:
        book_slot(person=membership.person, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    assert err.value.code == "not_eligible" and "10/04/2026" in str(err.value.message)


def test_cannot_change_after_the_slot_started(branch, eligible):
    booking = book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    with pytest.raises(DomainError):
        cancel_booking(booking=booking, now=datetime(2026, 3, 17, 9, 0, tzinfo=WIB))


def test_check_in_served_and_no_show(branch, eligible):
    booking = book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    with pytest.raises(DomainError):
        check_in(code=booking.code, office=branch, now=NOW)  # not that day yet
    checked = check_in(code=booking.code.lower(), office=branch, now=datetime(2026, 3, 17, 8, 50, tzinfo=WIB))
    assert checked.status == "checked_in"
    assert mark_served(booking=checked).status == "served"

    other = pu_member().person
    late = Booking.objects.create(code="LATE0001", person=other, service="data_update", slot=booking.slot)
    assert mark_no_shows(now=datetime(2026, 3, 17, 9, 59, tzinfo=WIB)) == 0
    assert mark_no_shows(now=datetime(2026, 3, 17, 10, 0, tzinfo=WIB)) == 1
    late.refresh_from_db()
    assert late.status == "no_show"


def test_closing_a_day_cancels_and_frees_its_bookings(branch, eligible):
    booking = book_slot(person=eligible, office=branch, day=date(2026, 3, 17), hour=9, now=NOW)
    affected = close_slots(office=branch, day=date(2026, 3, 17))
    assert [b.pk for b in affected] == [booking.pk]
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert date(2026, 3, 17) not in [d for d, _ in free_days(branch, now=NOW)]
