"""Contribution lines, worked by hand from the rate tables loaded by the migration (FACTS.md §3)."""

from datetime import date

import pytest

from jaminanku.contributions.models import ContributionRate
from jaminanku.contributions.rates import PensionAges, RateSchedule, compute_contribution
from jaminanku.core.errors import DomainError

pytestmark = pytest.mark.django_db

MARCH_2024 = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("risk_class", "jkk"),
    [
        (1, 12_000),  # 5,000,000 × 0.24 % = 12,000
        (2, 27_000),  # 5,000,000 × 0.54 % = 27,000
        (3, 44_500),  # 5,000,000 × 0.89 % = 44,500
        (4, 63_500),  # 5,000,000 × 1.27 % = 63,500
        (5, 87_000),  # 5,000,000 × 1.74 % = 87,000
    ],
)
def test_pu_lines_for_each_risk_class_on_five_million(risk_class, jkk):
    lines = compute_contribution(wage=5_000_000, period=MARCH_2024, segment="PU", risk_class=risk_class)
    assert lines.jht_employer == 185_000  # 3.7 %
    assert lines.jht_worker == 100_000  # 2 %
    assert lines.jkm == 15_000  # 0.30 %
    assert lines.jkk == jkk
    assert lines.jp_base == 5_000_000  # under the Rp10,042,300 cap
    assert lines.jp_employer == 100_000  # 2 %
    assert lines.jp_worker == 50_000  # 1 %
    # JKP allocations (not paid by the employer): 0.22 % government, 0.14 % from JKK, 0.10 % from JKM
    assert (lines.jkp_government, lines.jkp_from_jkk, lines.jkp_from_jkm) == (11_000, 7_000, 5_000)
    # employer: 185,000 + JKK + 15,000 + 100,000; worker: 100,000 + 50,000
    assert lines.employer_due == 300_000 + jkk
    assert lines.worker_due == 150_000


def test_jp_cap_changes_on_1_march_so_february_uses_the_old_cap():
    # Wage 12,000,000 is above both caps.
    # Feb 2024 (last day 29/02/2024): cap 9,559,600 → 2 % = 191,192; 1 % = 95,596
    february = compute_contribution(wage=12_000_000, period=date(2024, 2, 1), segment="PU", risk_class=1)
    assert february.jp_base == 9_559_600
    assert (february.jp_employer, february.jp_worker) == (191_192, 95_596)
    # Mar 2024: cap 10,042,300 → 2 % = 200,846; 1 % = 100,423
    march = compute_contribution(wage=12_000_000, period=date(2024, 3, 1), segment="PU", risk_class=1)
    assert march.jp_base == 10_042_300
    assert (march.jp_employer, march.jp_worker) == (200_846, 100_423)
    # JHT has no cap: 12,000,000 × 3.7 % = 444,000
    assert march.jht_employer == 444_000


def test_jkp_from_jkm_line_ends_with_january_2025_by_the_last_day_rule():
    # 4,000,000 × 0.10 % = 4,000 in January; the line ends 6 Feb 2025, so February (judged on 28/02) has none.
    amounts = {
        m: compute_contribution(wage=4_000_000, period=date(2025, m, 1), segment="PU", risk_class=1) for m in (1, 2, 3)
    }
    assert amounts[1].jkp_from_jkm == 4_000
    assert amounts[2].jkp_from_jkm == 0
    assert amounts[3].jkp_from_jkm == 0
    for lines in amounts.values():
        assert lines.jkp_government == 8_800  # 0.22 %
        assert lines.jkp_from_jkk == 5_600  # 0.14 %
        # the allocations are not part of what the employer owes: 148,000 + 9,600 + 12,000 + 80,000
        assert lines.employer_due == 249_600


def test_each_line_rounds_half_up_separately():
    wage = 3_000_625
    lines = compute_contribution(wage=wage, period=MARCH_2024, segment="PU", risk_class=1)
    assert lines.jkk == 7_202  # 3,000,625 × 0.24 % = 7,201.5 → 7,202
    assert lines.jht_worker == 60_013  # × 2 % = 60,012.5 → 60,013
    assert lines.jht_employer == 111_023  # × 3.7 % = 111,023.125 → 111,023
    assert lines.jkm == 9_002  # × 0.30 % = 9,001.875 → 9,002
    assert lines.jp_employer == 60_013  # × 2 % = 60,012.5 → 60,013
    assert lines.jp_worker == 30_006  # × 1 % = 30,006.25 → 30,006


def test_jkp_allocation_base_is_capped_at_five_million():
    # 8,000,000 wage: JKP base min(8,000,000, 5,000,000) → 0.22 % = 11,000
    lines = compute_contribution(wage=8_000_000, period=MARCH_2024, segment="PU", risk_class=1)
    assert lines.jkp_government == 11_000


def test_no_jp_at_or_above_pension_age():
    lines = compute_contribution(wage=5_000_000, period=MARCH_2024, segment="PU", risk_class=1, jp_enrolled=False)
    assert (lines.jp_base, lines.jp_employer, lines.jp_worker) == (0, 0, 0)
    assert lines.worker_due == 100_000  # JHT only


def test_bpu_lines_on_declared_income():
    # 2,000,000: JKK 1 % = 20,000; JKM flat 6,800; JHT 2 % = 40,000; all paid by the worker
    opted = compute_contribution(wage=2_000_000, period=MARCH_2024, segment="BPU", risk_class=None)
    assert (opted.jkk, opted.jkm, opted.jht_worker) == (20_000, 6_800, 40_000)
    assert (opted.employer_due, opted.worker_due) == (0, 66_800)
    cheapest = compute_contribution(wage=1_000_000, period=MARCH_2024, segment="BPU", risk_class=None, jht_opted=False)
    assert cheapest.worker_due == 16_800  # the official Rp16,800 package: 10,000 + 6,800


def test_bpu_income_below_one_million_is_refused():
    with pytest.raises(DomainError) as err:
        compute_contribution(wage=900_000, period=MARCH_2024, segment="BPU", risk_class=None)
    assert err.value.code == "base_below_minimum"


def test_pmi_jht_is_the_chosen_amount_within_bounds():
    lines = compute_contribution(wage=300_000, period=MARCH_2024, segment="PMI", risk_class=None)
    assert lines.jht_worker == 300_000
    assert lines.worker_due == 300_000
    with pytest.raises(DomainError) as err:
        compute_contribution(wage=700_000, period=MARCH_2024, segment="PMI", risk_class=None)
    assert err.value.code == "base_above_maximum"


def test_period_without_rates_is_a_clear_error():
    with pytest.raises(DomainError) as err:
        compute_contribution(wage=5_000_000, period=date(1990, 1, 1), segment="PU", risk_class=1)
    assert err.value.code == "no_rate"


def test_pu_needs_a_risk_class():
    with pytest.raises(DomainError) as err:
        compute_contribution(wage=5_000_000, period=MARCH_2024, segment="PU", risk_class=None)
    assert err.value.code == "risk_class_invalid"


def test_a_resolved_schedule_computes_without_queries(django_assert_num_queries):
    schedule = RateSchedule.resolve(period=MARCH_2024, segment="PU")
    with django_assert_num_queries(0):
        for wage in range(4_000_000, 4_100_000, 1_000):
            compute_contribution(wage=wage, period=MARCH_2024, segment="PU", risk_class=3, schedule=schedule)


def test_staff_rate_change_applies_from_the_period_whose_last_day_it_covers():
    ContributionRate.objects.filter(segment="BPU", program="JKM").update(effective_to=date(2024, 6, 14))
    ContributionRate.objects.create(
        program="JKM", party="worker", segment="BPU", flat_amount=7_000, effective_from=date(2024, 6, 15), source="t"
    )
    may = compute_contribution(wage=1_000_000, period=date(2024, 5, 1), segment="BPU", risk_class=None)
    june = compute_contribution(wage=1_000_000, period=date(2024, 6, 1), segment="BPU", risk_class=None)
    assert (may.jkm, june.jkm) == (6_800, 7_000)


def test_born_after_the_last_birth_at_pension_age_is_under_it_on_every_kind_of_day():
    # a table as RULES.md has it (56 from 2015, one more every three years) plus an age that starts on 29 February
    ages = PensionAges([(date(2015, 7, 1), 56), (date(2019, 1, 1), 57), (date(2024, 2, 29), 58)])
    days = [date(2015, 6, 30), date(2019, 1, 1), date(2023, 12, 31), date(2024, 2, 29), date(2028, 2, 29)]
    births = [
        date(y, m, d)
        for y in (1966, 1967, 1968, 1969, 1970, 1972)
        for m, d in ((2, 28), (2, 29), (3, 1), (12, 31))
        if not (m == 2 and d == 29 and y % 4)
    ]
    assert ages.last_birth_at_pension_age(date(2015, 6, 30)) is None  # no age in force yet
    for day in days:
        cutoff = ages.last_birth_at_pension_age(day)
        for born in births:
            assert (cutoff is None or born > cutoff) == ages.under_pension_age(born, day), (day, born)
    # 58 on 29/02/2028: born 29/02/1970 would be, but there is no such day; born 28/02/1970 is 58 that day
    assert ages.last_birth_at_pension_age(date(2028, 2, 29)) == date(1970, 2, 28)
    assert not ages.under_pension_age(date(1970, 2, 28), date(2028, 2, 29))
    assert ages.under_pension_age(date(1970, 3, 1), date(2028, 2, 29))
