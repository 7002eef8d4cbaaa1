"""Period months (stored as the first day of the month) and the date formats accepted in wage reports."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_period(value: object) -> date | None:
    """`YYYY-MM` (also `YYYY-MM-DD`, or a date cell from a spreadsheet) to the first day of that month."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1900:
        return None
    return date(year, month, 1)


def month_in_range(value: object, first: date, last: date) -> tuple[date, str]:
    """The month a row's period value names, if it is one of `first` through `last`; otherwise `first` and the
    refusal code ("period_invalid" when unreadable, "period_mismatch" when outside the range)."""
    parsed = parse_period(value)
    if parsed is None:
        return first, "period_invalid"
    if not first <= parsed <= last:
        return first, "period_mismatch"
    return parsed, ""


def parse_day(value: object) -> date | None:
    """`dd/mm/yyyy` or `yyyy-mm-dd` (or a spreadsheet date) to a date; None when blank or not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = (int(p) for p in text.split("-"))
            return date(year, month, day)
    except ValueError:
        return None
    return None
