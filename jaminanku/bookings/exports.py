"""A booking as files: the QR of its code (PNG, segno) shown at the counter, and a calendar entry (.ics) that
starts at the slot's hour in the branch's own time zone."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from jaminanku.bookings.calendar import slot_start
from jaminanku.bookings.models import Booking


def qr_png(code: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def booking_ics(booking: Booking, *, now: datetime | None = None) -> bytes:
    slot, office = booking.slot, booking.slot.office
    start = slot_start(office, slot.day, slot.hour)
    calendar = Calendar()
    calendar.add("prodid", "-//JaminanKu//Antrian Online//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.code}@jaminanku")
    event.add("dtstamp", (now or timezone.now()).astimezone(ZoneInfo("UTC")))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=1))
    event.add(
        "summary",
        _("Antrian %(service)s — %(code)s") % {"service": booking.get_service_display(), "code": booking.code},
    )
    event.add("location", ", ".join(part for part in (office.name, office.address, office.city) if part))
    event.add(
        "description",
        _("Kode booking: %(code)s. Tunjukkan kode atau QR-nya kepada petugas.") % {"code": booking.code},
    )
    calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for the branch's zone, for clients that need it
    return calendar.to_ical()
