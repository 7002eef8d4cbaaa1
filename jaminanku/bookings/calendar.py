"""Which days and hours a branch can be booked, in the branch's own time zone (RULES.md decision): hourly slots
08:00–15:00 on working days, from the next working day up to 14 days ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from jaminanku.bookings.models import Slot
from jaminanku.core.workdays import is_working_day, next_working_day
from jaminanku.offices.models import Office

SLOT_HOURS = tuple(range(8, 15))  # the last slot is 14:00–15:00
BOOK_AHEAD_DAYS = 14


def local_now(office: Office, now: datetime | None = None) -> datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(office.time_zone))


def slot_start(office: Office, day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(office.time_zone))


def bookable_days(office: Office, *, now: datetime | None = None) -> list[date]:
    today = local_now(office, now).date()
    day, last = next_working_day(today), today + timedelta(days=BOOK_AHEAD_DAYS)
    days = []
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class SlotView:
    day: date
    hour: int
    places_left: int

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00–{self.hour + 1:02d}:00"


def availability(office: Office, days: list[date]) -> dict[date, list[SlotView]]:
    """Places left per slot; slots nobody has booked yet have the branch's full capacity."""
    existing = {(s.day, s.hour): s for s in Slot.objects.filter(office=office, day__in=days)}
    result: dict[date, list[SlotView]] = {}
    for day in days:
        views = []
        for hour in SLOT_HOURS:
            slot = existing.get((day, hour))
            left = slot.places_left if slot else office.queue_capacity
            views.append(SlotView(day, hour, left))
        result[day] = views
    return result


def free_days(office: Office, *, now: datetime | None = None) -> list[tuple[date, int]]:
    """The calendar: bookable days that still have places, with how many."""
    table = availability(office, bookable_days(office, now=now))
    return [
        (day, sum(v.places_left for v in views)) for day, views in table.items() if any(v.places_left for v in views)
    ]


def next_free_slot(
    office: Office, *, after: tuple[date, int] | None = None, now: datetime | None = None
) -> SlotView | None:
    for views in availability(office, bookable_days(office, now=now)).values():
        for view in views:
            if view.places_left and (after is None or (view.day, view.hour) > after):
                return view
    return None
