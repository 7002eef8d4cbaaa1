"""PensionAges.pension_date in closed form (issue 27) gives the day the search over every birthday gave."""

from __future__ import annotations

import random
from datetime import date, timedelta

from jaminanku.contributions.rates import PensionAges


def _searched(ages: PensionAges, date_of_birth: date) -> date | None:
    """The former search: every row start and every birthday of 99 years, the first on which the person is of
    the age in force."""
    if not ages.rows:
        return None
    candidates = {start for start, _age in ages.rows}
    for year in range(date_of_birth.year + 1, date_of_birth.year + 100):
        try:
            candidates.add(date_of_birth.replace(year=year))
        except ValueError:
            candidates.add(date(year, 3, 1))
    for day in sorted(candidates):
        if day > date_of_birth and not ages.under_pension_age(date_of_birth, day):
            return day
    return None


TABLES = [
    [],
    [(date(2015, 7, 1), 56), (date(2019, 1, 1), 57), (date(2022, 1, 1), 58), (date(2025, 1, 1), 59)],
    [(date(2015, 7, 1), 56), (date(2019, 1, 1), 57), (date(2024, 2, 29), 58), (date(2043, 1, 1), 65)],
    [(date(1990, 1, 1), 60), (date(2000, 1, 1), 55)],  # the age went down
    [(date(2000, 1, 1), 0), (date(2001, 1, 1), 120), (date(2100, 1, 1), 30)],  # odd ages
]


def test_closed_form_matches_the_search_on_every_kind_of_birthday() -> None:
    rng = random.Random(27)
    births = [date(1956, 2, 29), date(1960, 2, 29), date(1966, 3, 1), date(1959, 6, 30), date(2001, 1, 1)]
    births += [date(1930, 1, 1) + timedelta(days=rng.randrange(0, 30_000)) for _ in range(400)]
    for rows in TABLES:
        ages = PensionAges(rows)
        for born in births:
            assert ages.pension_date(born) == _searched(ages, born), (rows, born)


def test_a_row_shadowed_by_a_later_row_of_the_same_day_is_not_used() -> None:
    ages = PensionAges([(date(2020, 1, 1), 50), (date(2020, 1, 1), 70)])
    assert ages.pension_date(date(1960, 5, 5)) == date(2030, 5, 5) == _searched(ages, date(1960, 5, 5))


def test_the_remembered_day_follows_the_table_it_was_worked_out_from() -> None:
    """The day is remembered per table and date of birth (the hot read builds a table per call): staff changing
    the pension-age table must change the day at once, and the same table built again reuses it."""
    born = date(1970, 8, 17)
    before = PensionAges([(date(2015, 7, 1), 56), (date(2019, 1, 1), 57)])
    assert before.pension_date(born) == date(2027, 8, 17)
    after = PensionAges([(date(2015, 7, 1), 56), (date(2019, 1, 1), 57), (date(2026, 1, 1), 60)])
    assert after.pension_date(born) == date(2030, 8, 17) == _searched(after, born)
    again = PensionAges(list(reversed(before.rows)))
    assert again.pension_date(born) == date(2027, 8, 17)
