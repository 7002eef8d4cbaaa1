"""Indonesian working days: Monday to Friday, neither a national holiday nor cuti bersama.

The calendar comes from the `holidays` package (country ID, categories public and government), so it is
not typed in here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, categories=("public", "government"))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int) -> date:
    """`count` working days after `start`; a non-working `start` counts from the next working day."""
    day = start if is_working_day(start) else next_working_day(start)
    for _ in range(count):
        day = next_working_day(day)
    return day
