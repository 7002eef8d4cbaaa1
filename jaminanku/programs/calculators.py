"""Benefit and contribution calculators for the program pages. Contributions come from the ledger's own
`compute_contribution`; yearly figures (JP minimum/maximum, JKM amounts) from the BenefitFigure table.

Assumptions each page states: the projection credits development with the RULES.md method (contributions
earn from the month after their period) at the yearly return the member assumes; the JP estimate takes the
average monthly wage as already indexed to today; a JP member with fewer than 180 months receives the
contributions back with the assumed return instead of a pension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from jaminanku.contributions.models import Program
from jaminanku.contributions.services import ContributionLines, RateSchedule, compute_contribution
from jaminanku.core.errors import DomainError
from jaminanku.core.money import round_half_up_div
from jaminanku.programs.models import BenefitFigure

JP_PENSION_MONTHS = 180
WEIGHTED_MONTHS = sum(12 - m for m in range(1, 13))  # 66: a month's contribution earns (12 − m)/12 of the year


def figure(name: str, on: date | None = None) -> int:
    on = on or timezone.localdate()
    row = BenefitFigure.objects.filter(name=name, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        raise DomainError(f"No figure {name} in force on {on:%d/%m/%Y}", code="figure_missing")
    return int(row.amount)


@dataclass(frozen=True)
class ContributionEstimate:
    """A month's contribution on `wage`, with the JP wage cap in force that month (None: the table has none), so
    that what the page says about the cap is the cap the figures used."""

    wage: int
    lines: ContributionLines
    jp_wage_cap: int | None

    @property
    def jp_wage_capped(self) -> bool:
        return self.jp_wage_cap is not None and self.wage > self.jp_wage_cap

    @property
    def jkp_allocation(self) -> int:
        """What JKP receives for the month: allocations (government, recomposition), not paid by anyone on top."""
        return self.lines.jkp_government + self.lines.jkp_from_jkk + self.lines.jkp_from_jkm


def contributions(*, wage: int, risk_class: int, period: date | None = None) -> ContributionEstimate:
    period = (period or timezone.localdate()).replace(day=1)
    schedule = RateSchedule.resolve(period=period, segment="PU")
    lines = compute_contribution(wage=wage, period=period, segment="PU", risk_class=risk_class, schedule=schedule)
    return ContributionEstimate(wage=wage, lines=lines, jp_wage_cap=schedule.caps.get(Program.JP))


@dataclass(frozen=True)
class ProjectionYear:
    year: int
    monthly_wage: int
    opening: int
    contributions: int
    development: int

    @property
    def closing(self) -> int:
        return self.opening + self.contributions + self.development


def jht_projection(
    *, balance: int, monthly_wage: int, wage_growth_ppm: int, years: int, return_ppm: int, start_year: int
) -> list[ProjectionYear]:
    if not 0 <= years <= 50:
        raise DomainError("years must be 0–50", code="invalid_years", field="years")
    period = date(start_year, 1, 1)
    rows: list[ProjectionYear] = []
    opening, wage = balance, monthly_wage
    for offset in range(years):
        lines = compute_contribution(wage=wage, period=period, segment="PU", risk_class=1)
        monthly = lines.jht_employer + lines.jht_worker
        base12 = 12 * opening + WEIGHTED_MONTHS * monthly
        development = round_half_up_div(return_ppm * base12, 12 * 1_000_000)
        row = ProjectionYear(start_year + offset, wage, opening, 12 * monthly, development)
        rows.append(row)
        opening = row.closing
        wage = wage * (1_000_000 + wage_growth_ppm) // 1_000_000
    return rows


@dataclass(frozen=True)
class JpEstimate:
    months: int
    pension: bool
    monthly_benefit: int  # 0 when a lump sum is paid instead
    formula_monthly: int  # before the minimum/maximum
    minimum: int
    maximum: int
    lump_sum: int


def jp_estimate(
    *, contribution_months: int, average_monthly_wage: int, on: date | None = None, return_ppm: int = 0
) -> JpEstimate:
    """Yearly benefit = 1 % × months/12 × average annual wage; monthly = a twelfth, clamped to the year's
    minimum and maximum. Under 180 months: contributions back (JP 3 % of the capped wage) plus assumed return."""
    on = on or timezone.localdate()
    minimum, maximum = figure("jp_min_monthly", on), figure("jp_max_monthly", on)
    if contribution_months >= JP_PENSION_MONTHS:
        yearly = round_half_up_div(12 * average_monthly_wage * contribution_months, 100 * 12)
        formula = round_half_up_div(yearly, 12)
        return JpEstimate(contribution_months, True, min(max(formula, minimum), maximum), formula, minimum, maximum, 0)
    lines = compute_contribution(wage=average_monthly_wage, period=on.replace(day=1), segment="PU", risk_class=1)
    monthly = lines.jp_employer + lines.jp_worker
    total = 0
    for month_number in range(contribution_months):
        total += monthly
        if month_number % 12 == 11:
            total += round_half_up_div(total * return_ppm, 1_000_000)
    return JpEstimate(contribution_months, False, 0, 0, minimum, maximum, total)


@dataclass(frozen=True)
class DeathBenefits:
    jkm_total: int
    jkm_lump_sum: int
    jkm_periodic: int
    jkm_funeral: int
    jkk_death: int  # a work-accident death: 48 × wage plus the JKM amounts
    jkk_total_disability: int
    scholarship_max: int


def death_benefits(*, monthly_wage: int, on: date | None = None) -> DeathBenefits:
    lump, periodic, funeral = (figure(n, on) for n in ("jkm_lump_sum", "jkm_periodic", "jkm_funeral"))
    jkm = lump + periodic + funeral
    return DeathBenefits(
        jkm_total=jkm,
        jkm_lump_sum=lump,
        jkm_periodic=periodic,
        jkm_funeral=funeral,
        jkk_death=figure("jkk_death_wage_months", on) * monthly_wage + periodic + funeral,
        jkk_total_disability=figure("jkk_disability_wage_months", on) * monthly_wage,
        scholarship_max=figure("jkm_scholarship_max", on),
    )


@dataclass(frozen=True)
class JkpBenefit:
    base: int  # the last reported wage, capped at the JKP wage cap
    wage_cap: int | None
    percent: int
    months: int
    monthly: int

    @property
    def total(self) -> int:
        return self.monthly * self.months


def jkp_benefit(*, last_wage: int, on: date | None = None) -> JkpBenefit:
    """The JKP cash benefit after a dismissal: a percentage of the last reported wage, the wage taken at most up to
    the JKP wage cap in force (the same row that caps the JKP allocation), for a number of months."""
    on = on or timezone.localdate()
    cap = RateSchedule.resolve(period=on.replace(day=1), segment="PU").caps.get(Program.JKP)
    base = last_wage if cap is None else min(last_wage, cap)
    percent, months = figure("jkp_cash_percent", on), figure("jkp_cash_months", on)
    return JkpBenefit(base, cap, percent, months, round_half_up_div(base * percent, 100))
