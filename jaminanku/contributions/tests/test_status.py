"""Membership status per program for PU and Jakon, and its constant cost."""

from datetime import date

import pytest

from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.periods import add_months
from jaminanku.contributions.selectors import ACTIVE, NON_ACTIVE, NOT_ENROLLED, jht_balance_for, membership_status
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_pu_without_employment_is_non_active_since_registration():
    member = pu_member(registered_on=date(2020, 2, 3))
    status = membership_status(member, today=date(2026, 1, 1))
    assert (status.status, status.since) == (NON_ACTIVE, date(2020, 2, 3))


def test_pu_with_open_employment_is_active_in_all_five_programs():
    employment = EmploymentFactory(start=date(2019, 7, 1))
    status = membership_status(employment.membership, today=date(2026, 1, 1))
    assert {p: s.status for p, s in status.programs.items()} == dict.fromkeys(
        ["JHT", "JKK", "JKM", "JP", "JKP"], ACTIVE
    )
    assert status["JP"].since == date(2019, 7, 1)


def test_pu_end_date_in_the_future_is_still_active():
    employment = EmploymentFactory(start=date(2019, 7, 1), end=date(2026, 1, 31), end_reason="end_of_contract")
    assert membership_status(employment.membership, today=date(2026, 1, 31)).status == ACTIVE
    after = membership_status(employment.membership, today=date(2026, 2, 1))
    assert (after.status, after.since) == (NON_ACTIVE, date(2026, 2, 1))


def test_jp_becomes_non_active_at_pension_age():
    # born 10/05/1967: 59 on 10/05/2026, and the pension age in 2025–2027 is 59
    employment = EmploymentFactory(start=date(2010, 1, 1), membership__person__date_of_birth=date(1967, 5, 10))
    status = membership_status(employment.membership, today=date(2026, 6, 1))
    assert (status["JP"].status, status["JP"].since) == (NON_ACTIVE, date(2026, 5, 10))
    assert status["JHT"].status == ACTIVE
    before = membership_status(employment.membership, today=date(2026, 5, 9))
    assert before["JP"].status == ACTIVE


def test_worker_hired_past_pension_age_is_not_enrolled_in_jp():
    employment = EmploymentFactory(start=date(2025, 1, 1), membership__person__date_of_birth=date(1950, 1, 1))
    assert membership_status(employment.membership, today=date(2026, 1, 1))["JP"].status == NOT_ENROLLED


def test_jakon_has_only_jkk_and_jkm():
    employment = EmploymentFactory(membership=MembershipFactory(segment="JAKON", jht_opted=False))
    status = membership_status(employment.membership, today=date(2026, 1, 1))
    assert {p: s.status for p, s in status.programs.items()} == {
        "JKK": ACTIVE,
        "JKM": ACTIVE,
        "JHT": NOT_ENROLLED,
        "JP": NOT_ENROLLED,
        "JKP": NOT_ENROLLED,
    }


def test_status_and_balance_cost_the_same_for_one_month_or_years(django_assert_num_queries):
    company = employer()
    short, long = pu_member(), pu_member()
    import_wage_lines(npp=company.npp, period=date(2024, 1, 1), lines=[line(short, 4_000_000)])
    for n in range(24):
        import_wage_lines(npp=company.npp, period=add_months(date(2023, 1, 1), n), lines=[line(long, 4_000_000)])
    for member in (short, long):
        fresh = type(member).objects.select_related("person").get(pk=member.pk)
        with django_assert_num_queries(2):  # latest employment + pension-age table
            membership_status(fresh, today=date(2025, 1, 1))
        with django_assert_num_queries(1):
            jht_balance_for(fresh)
    assert jht_balance_for(long) == 24 * 228_000
