"""No overbooking, ever: 200 members racing for the last 5 places of a slot get exactly 5 bookings.

On PostgreSQL the 200 run as real threads, each with its own connection; SQLite serialises writers, so there the
same 200 attempts run one after another and the assertion is the same."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.services import SlotFull, book_slot
from jaminanku.core.testing import run_at_once
from jaminanku.offices.models import Office
from jaminanku.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("reload_reference_data")
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
DAY = date(2026, 3, 17)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_members_race_for_the_last_five_places():
    office = Office.objects.create(code="KC3273", name="KC Bandung", kind="kc", province_id="32")
    Slot.objects.create(office=office, day=DAY, hour=10, capacity=20, booked=15)
    people = [PersonFactory() for _ in range(200)]

    def attempt(person):
        return lambda: book_slot(person=person, office=office, day=DAY, hour=10, service="data_update", now=NOW)

    def full(exc):
        if not isinstance(exc, SlotFull):
            return exc.code
        return "penuh" if exc.extra.get("suggestion") else "penuh-no-suggestion"

    outcomes = run_at_once([attempt(p) for p in people], outcome=full)

    assert outcomes.count("ok") == 5
    assert outcomes.count("penuh") == 195
    assert Booking.objects.filter(slot__hour=10).count() == 5
    assert Slot.objects.get(hour=10).booked == 20
