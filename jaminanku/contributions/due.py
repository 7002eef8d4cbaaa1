"""When a month's contributions are due, and what paying them late costs (RULES.md, Contributions).

RULES.md: "Due by the 15th of the following month (next working day if a holiday); late fine 2 % per month late on
the amount due, borne by the employer." and "BPU: … due by the 15th of the same month."

So, in this module:
- A wage report (PU) for month M is due on the 15th of M + 1; a BPU/PMI self-payment for month M on the 15th of M.
  When the 15th is not a working day (a weekend, a national holiday or cuti bersama: `core.workdays`), the due
  date is the next working day. **(decision)** The move to the next working day applies to self-payments too.
- Paid on or before the due date: on time. Paid later: late by the days after the due date, and by whole months
  counted from the due date, **(decision)** each part of a month counting as a month ("per month late": a day
  late is one month, a month and a day two), as the fine rule counts started months.
- The fine is 2 % per month late of the amount due (the report's employer and worker shares, not the JKP
  allocations, which the employer does not pay): round_half_up(amount_due × 2 % × months late), computed once per
  report, on its total. RULES.md sets no cap, so there is none.
- **(decision)** Self-payments (BPU/PMI) carry no fine: RULES.md puts the fine on the employer ("borne by the
  employer"), and a self-paying member has none; a late self-payment is marked late, and the member's cover
  lapses by the status rules instead.

The due day, the fine rate and who is fined are here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

from jaminanku.contributions.periods import add_months
from jaminanku.core.money import apply_rate
from jaminanku.core.workdays import is_working_day, next_working_day

DUE_DAY = 15
LATE_FINE_PPM_PER_MONTH = 20_000  # 2 % per month (or part of a month) late
WAGE_REPORT = "wage_report"  # WageReport.Kind values, spelled here so that this module needs no model
SELF_PAYMENT = "self_payment"

# The day a report was paid: one date, or one per period (a history posted at once, each month paid on its day).
PaidOn = date | Callable[[date], date]


@lru_cache(maxsize=4096)
def due_date(period: date, kind: str = WAGE_REPORT) -> date:
    """The last day to pay the contributions of the month `period` without a fine."""
    month = period.replace(day=1) if kind == SELF_PAYMENT else add_months(period, 1)
    day = month.replace(day=DUE_DAY)
    return day if is_working_day(day) else next_working_day(day)


def wage_report_due_date(period: date) -> date:
    return due_date(period, WAGE_REPORT)


def self_payment_due_date(period: date) -> date:
    return due_date(period, SELF_PAYMENT)


def days_late(due: date, paid_on: date) -> int:
    return max(0, (paid_on - due).days)


def months_late(due: date, paid_on: date) -> int:
    """Months (each started month counting whole) from `due` to `paid_on`: 0 when paid on time."""
    if paid_on <= due:
        return 0
    months = (paid_on.year - due.year) * 12 + paid_on.month - due.month
    return months + 1 if paid_on.day > due.day else months


def late_fine(*, amount_due: int, due: date, paid_on: date, kind: str = WAGE_REPORT) -> int:
    """The fine in rupiah for paying `amount_due` on `paid_on` instead of by `due`."""
    if kind != WAGE_REPORT:
        return 0
    return apply_rate(amount_due, LATE_FINE_PPM_PER_MONTH * months_late(due, paid_on))


def paid_on_for(paid_on: PaidOn, period: date) -> date:
    return paid_on(period) if callable(paid_on) else paid_on
