"""Calculators with worked examples computed by hand."""

from datetime import date

import pytest

from jaminanku.programs.calculators import contributions, death_benefits, jht_projection, jkp_benefit, jp_estimate

pytestmark = pytest.mark.django_db


def test_wage_above_the_jp_cap_caps_only_jp():
    # April 2025, wage Rp12,000,000, risk class 1; JP cap from March 2025 = Rp10,547,400.
    estimate = contributions(wage=12_000_000, risk_class=1, period=date(2025, 4, 1))
    assert estimate.jp_wage_cap == 10_547_400 and estimate.jp_wage_capped
    lines = estimate.lines
    assert lines.jht_employer == 444_000  # 3.7 % × 12,000,000
    assert lines.jht_worker == 240_000  # 2 %
    assert lines.jkk == 28_800  # 0.24 %
    assert lines.jkm == 36_000  # 0.30 %
    assert lines.jp_base == 10_547_400
    assert lines.jp_employer == 210_948  # 2 % × 10,547,400
    assert lines.jp_worker == 105_474  # 1 % × 10,547,400


def test_jp_fifteen_years_is_a_monthly_pension():
    # 180 months, average wage 5,000,000 → yearly 1 % × 15 × 60,000,000 = 9,000,000 → monthly 750,000
    estimate = jp_estimate(contribution_months=180, average_monthly_wage=5_000_000, on=date(2025, 6, 1))
    assert estimate.pension and estimate.monthly_benefit == 750_000


def test_jp_fourteen_years_is_a_lump_sum_of_contributions():
    # 168 months × JP 3 % of 5,000,000 (150,000) = 25,200,000 with no assumed return
    estimate = jp_estimate(contribution_months=168, average_monthly_wage=5_000_000, on=date(2025, 6, 1))
    assert not estimate.pension and estimate.monthly_benefit == 0 and estimate.lump_sum == 25_200_000


def test_jp_minimum_and_maximum_apply():
    low = jp_estimate(contribution_months=180, average_monthly_wage=1_000_000, on=date(2024, 6, 1))
    assert low.formula_monthly == 150_000 and low.monthly_benefit == 393_500  # 2024 minimum
    high = jp_estimate(contribution_months=480, average_monthly_wage=50_000_000, on=date(2024, 6, 1))
    assert high.monthly_benefit == 4_718_200  # 2024 maximum


def test_jht_projection_over_ten_years():
    rows = jht_projection(
        balance=10_000_000, monthly_wage=5_000_000, wage_growth_ppm=0, years=10, return_ppm=50_000, start_year=2026
    )
    # Year 1: contributions 12 × 285,000 = 3,420,000; base = 10,000,000 + 285,000 × 66/12 = 11,567,500;
    # development 5 % × 11,567,500 = 578,375; closing 13,998,375.
    assert (rows[0].contributions, rows[0].development, rows[0].closing) == (3_420_000, 578_375, 13_998_375)
    # Year 2: base = 13,998,375 + 1,567,500 = 15,565,875; 5 % = 778,293.75 → 778,294
    assert rows[1].development == 778_294
    closing = 10_000_000
    for _ in range(10):  # the same arithmetic, year by year, independently of the code
        development = int((closing + 285_000 * 66 / 12) * 0.05 + 0.5)
        closing += 3_420_000 + development
    assert len(rows) == 10 and rows[-1].closing == closing


def test_death_benefits_from_a_wage():
    benefits = death_benefits(monthly_wage=5_000_000, on=date(2026, 1, 1))
    assert benefits.jkm_total == 42_000_000  # 20 M + 12 M + 10 M
    assert benefits.jkk_death == 48 * 5_000_000 + 12_000_000 + 10_000_000
    assert benefits.jkk_total_disability == 56 * 5_000_000
    assert benefits.scholarship_max == 174_000_000


def test_jkp_cash_is_sixty_percent_of_the_capped_wage_for_six_months():
    below = jkp_benefit(last_wage=4_000_000, on=date(2026, 1, 1))
    assert (below.base, below.monthly, below.total) == (4_000_000, 2_400_000, 14_400_000)  # 60 % × 4,000,000 × 6
    above = jkp_benefit(last_wage=8_000_000, on=date(2026, 1, 1))
    assert (above.base, above.monthly, above.total) == (5_000_000, 3_000_000, 18_000_000)  # capped at Rp5,000,000
