"""Working days follow Indonesia's holidays and cuti bersama (from the holidays package)."""

from datetime import date

from jaminanku.core.workdays import add_working_days, is_working_day, next_working_day


def test_weekend_is_not_a_working_day():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 11, 24))  # Tuesday


def test_independence_day_is_a_holiday():
    assert not is_working_day(date(2026, 8, 17))


def test_eid_al_fitr_2026_week_with_collective_leave():
    # Idul Fitri 1447 H: 20–21 March 2026, cuti bersama around it; the 23rd–24th is collective leave.
    assert not is_working_day(date(2026, 3, 20))
    assert next_working_day(date(2026, 3, 19)) > date(2026, 3, 23)


def test_five_working_days_from_a_friday():
    # Friday 6 Nov 2026 + 5 working days = Friday 13 Nov 2026 (no holidays in between).
    assert add_working_days(date(2026, 11, 6), 5) == date(2026, 11, 13)


def test_request_on_a_saturday_counts_from_monday():
    # Saturday 7 Nov → counts from Monday 9 Nov → + 5 = Monday 16 Nov.
    assert add_working_days(date(2026, 11, 7), 5) == date(2026, 11, 16)
