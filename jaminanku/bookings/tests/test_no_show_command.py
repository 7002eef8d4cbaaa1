"""`manage.py mark_no_shows` (run from cron every few minutes) marks ended, unchecked bookings as no-shows."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jaminanku.bookings.models import Booking, Slot
from jaminanku.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_command_marks_bookings_of_ended_slots_only(branch):
    ended = Slot.objects.create(office=branch, day=timezone.localdate() - timedelta(days=1), hour=9, booked=2)
    later = Slot.objects.create(office=branch, day=timezone.localdate() + timedelta(days=1), hour=9, booked=1)
    missed = Booking.objects.create(code="MISS2345", person=PersonFactory(), service="data_update", slot=ended)
    came = Booking.objects.create(
        code="CAME2345", person=PersonFactory(), service="data_update", slot=ended, status="checked_in"
    )
    upcoming = Booking.objects.create(code="SOON2345", person=PersonFactory(), service="data_update", slot=later)
    out = StringIO()
    call_command("mark_no_shows", stdout=out)
    assert "1 bookings marked no-show." in out.getvalue()
    statuses = dict(Booking.objects.values_list("code", "status"))
    assert statuses == {missed.code: "no_show", came.code: "checked_in", upcoming.code: "booked"}
