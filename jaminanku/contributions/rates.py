"""Contribution calculation from the rate tables: one `compute_contribution` for imports, BPU payments and the
calculators, and a `RateSchedule` resolved once per (period, segment) so bulk posting makes no query per row.

**Decision — which row applies to a period.** A period month is stored as its first day. A rate, cap, bound or
pension age applies to a period when it is in force on the LAST day of that month. So the JKP recomposition
change effective 7 Feb 2025 (the 0.10 % from JKM ends on 6 Feb 2025) applies from period February 2025, and a
JP wage cap effective 1 March applies from period March. Everything about a period is judged on that one day,
so a month never has two rates.

Each line is `round_half_up(base × rate)` to the rupiah, computed separately per program and party
(`core.money.apply_rate`), plus the line's flat amount if it has one (BPU JKM Rp6,800). The JP base is the wage
capped at the JP wage cap; a cap row for JKP clips the JKP allocation base the same way. The JKP lines are
allocations (government, recomposition out of JKK/JKM) and are not part of what the employer or worker owes.

PMI: the base is the member's chosen monthly JHT amount, taken 100 %. The PMI JKK/JKM lump-sum packages
(Permenaker 4/2023) are paid per placement, not per month, and are out of scope here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions.models import ContributionRate, Party, PensionAge, Program, RateSegment, WageCap
from jaminanku.contributions.periods import month_end, month_start
from jaminanku.core.errors import DomainError
from jaminanku.core.money import apply_rate, format_rupiah

# Which ContributionLines field each (program, party) line adds to.
LINE_FIELDS: dict[tuple[str, str], str] = {
    (Program.JHT, Party.EMPLOYER): "jht_employer",
    (Program.JHT, Party.WORKER): "jht_worker",
    (Program.JKK, Party.EMPLOYER): "jkk",
    (Program.JKK, Party.WORKER): "jkk",
    (Program.JKM, Party.EMPLOYER): "jkm",
    (Program.JKM, Party.WORKER): "jkm",
    (Program.JP, Party.EMPLOYER): "jp_employer",
    (Program.JP, Party.WORKER): "jp_worker",
    (Program.JKP, Party.GOVERNMENT): "jkp_government",
    (Program.JKP, Party.FROM_JKK): "jkp_from_jkk",
    (Program.JKP, Party.FROM_JKM): "jkp_from_jkm",
}
AMOUNT_FIELDS = (
    "jht_employer",
    "jht_worker",
    "jkk",
    "jkm",
    "jp_employer",
    "jp_worker",
    "jkp_government",
    "jkp_from_jkk",
    "jkp_from_jkm",
)


@dataclass(frozen=True, slots=True)
class ContributionLines:
    """One month's contribution, line by line, in whole rupiah."""

    jht_employer: int = 0
    jht_worker: int = 0
    jkk: int = 0
    jkm: int = 0
    jp_employer: int = 0
    jp_worker: int = 0
    jkp_government: int = 0
    jkp_from_jkk: int = 0
    jkp_from_jkm: int = 0
    jp_base: int = 0
    employer_due: int = 0
    worker_due: int = 0

    @property
    def jht_total(self) -> int:
        return self.jht_employer + self.jht_worker

    @property
    def total_due(self) -> int:
        """What the employer and the worker pay together; the JKP allocations are not part of it."""
        return self.employer_due + self.worker_due


@dataclass(frozen=True, slots=True)
class RateLine:
    program: str
    party: str
    field: str
    rate_ppm: int
    flat_amount: int
    risk_class: int | None


_FIELD_INDEX = {name: index for index, name in enumerate(AMOUNT_FIELDS)}
PAYER_EMPLOYER, PAYER_WORKER = 1, 2
_PAYER: dict[str, int] = {
    Party.EMPLOYER: PAYER_EMPLOYER,
    Party.WORKER: PAYER_WORKER,
}  # the other parties are JKP allocations


class PlanStep(NamedTuple):
    """One rate line as `_lines` applies it: which amount it adds to, who pays it (0: an allocation), whether
    its base is the JP base, and its rate, flat amount and wage cap."""

    amount_index: int
    payer: int
    is_jp: bool
    rate_ppm: int
    flat_amount: int
    cap: int | None


@dataclass(frozen=True)
class RateSchedule:
    """The rate lines, caps and bounds in force for one period and segment."""

    period: date
    segment: str
    lines: tuple[RateLine, ...]
    caps: dict[str, int] = field(default_factory=dict)
    minimums: dict[str, int] = field(default_factory=dict)  # program ("" = the whole base) -> lowest base
    maximums: dict[str, int] = field(default_factory=dict)  # program ("" = the whole base) -> highest base
    # Per (risk class, JHT opted, JP enrolled), the lines that apply worked out once: bulk posting calls this per
    # row.
    _plans: dict[tuple[int | None, bool, bool], tuple[PlanStep, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def resolve(cls, *, period: date, segment: str) -> RateSchedule:
        """Two small queries; reuse the result for every row of the same period and segment."""
        period = month_start(period)
        last_day = month_end(period)
        rows = (
            ContributionRate.objects.filter(segment=segment, effective_from__lte=last_day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=last_day))
            .order_by("effective_from", "id")
        )
        # Later rows win if staff ever leave two rows in force for the same line (the admin refuses overlaps).
        latest: dict[tuple[str, str, int | None], ContributionRate] = {}
        for row in rows:
            latest[(row.program, row.party, row.risk_class)] = row
        lines = tuple(
            RateLine(
                program=row.program,
                party=row.party,
                field=LINE_FIELDS[(row.program, row.party)],
                rate_ppm=row.rate_ppm,
                flat_amount=row.flat_amount or 0,
                risk_class=row.risk_class,
            )
            for row in latest.values()
            if (row.program, row.party) in LINE_FIELDS
        )
        bounds: dict[str, dict[str, int]] = {kind: {} for kind in WageCap.Kind.values}
        for cap in WageCap.objects.filter(segment=segment, effective_from__lte=last_day).order_by("effective_from"):
            bounds[cap.kind][cap.program] = cap.amount
        return cls(
            period=period,
            segment=segment,
            lines=lines,
            caps=bounds[WageCap.Kind.CAP],
            minimums=bounds[WageCap.Kind.MINIMUM],
            maximums=bounds[WageCap.Kind.MAXIMUM],
        )

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @cached_property
    def content_id(self) -> int:
        """The same number for every schedule with the same segment, lines and bounds, whatever its period."""
        content = (
            self.segment,
            self.lines,
            tuple(sorted(self.caps.items())),
            tuple(sorted(self.minimums.items())),
            tuple(sorted(self.maximums.items())),
        )
        return _CONTENT_IDS.setdefault(content, len(_CONTENT_IDS))

    def plan(self, risk_class: int | None, *, jht_opted: bool = True, jp_enrolled: bool = True) -> tuple[PlanStep, ...]:
        """The lines that apply to a member of `risk_class` (JHT left out when not opted, JP when not enrolled),
        each as a PlanStep."""
        key = (risk_class, jht_opted, jp_enrolled)
        plan = self._plans.get(key)
        if plan is None:
            plan = tuple(
                PlanStep(
                    _FIELD_INDEX[line.field],
                    _PAYER.get(line.party, 0),
                    line.program == Program.JP,
                    line.rate_ppm,
                    line.flat_amount,
                    self.caps.get(line.program),
                )
                for line in self.lines
                if (line.risk_class is None or line.risk_class == risk_class)
                and (jht_opted or line.program != Program.JHT)
                and (jp_enrolled or line.program != Program.JP)
            )
            self._plans[key] = plan
        return plan

    def base_error(self, base: int) -> DomainError | None:
        """Why `base` (wage, declared income or PMI JHT amount) is refused for this schedule, or None."""
        if not self.minimums and not self.maximums:
            return None
        programs = {""} | {line.program for line in self.lines}
        for program in sorted(programs):
            low = self.minimums.get(program)
            if low is not None and base < low:
                return DomainError(
                    _("Nilai %(base)s di bawah batas minimum %(low)s.")
                    % {"base": format_rupiah(base), "low": format_rupiah(low)},
                    code="base_below_minimum",
                    field="wage",
                )
            high = self.maximums.get(program)
            if high is not None and base > high:
                return DomainError(
                    _("Nilai %(base)s di atas batas maksimum %(high)s.")
                    % {"base": format_rupiah(base), "high": format_rupiah(high)},
                    code="base_above_maximum",
                    field="wage",
                )
        return None


_CONTENT_IDS: dict[tuple[object, ...], int] = {}


class ScheduleCache:
    """RateSchedules by (period, segment) for one bulk run: each resolved once, however many rows use it."""

    def __init__(self) -> None:
        self._schedules: dict[tuple[date, str], RateSchedule] = {}

    def get(self, period: date, segment: str) -> RateSchedule:
        key = (month_start(period), segment)
        if key not in self._schedules:
            self._schedules[key] = RateSchedule.resolve(period=key[0], segment=segment)
        return self._schedules[key]


NO_RATE = _("Tidak ada tarif iuran yang berlaku untuk periode ini.")


def compute_contribution(
    *,
    wage: int,
    period: date,
    segment: str,
    risk_class: int | None,
    schedule: RateSchedule | None = None,
    jht_opted: bool = True,
    jp_enrolled: bool = True,
) -> ContributionLines:
    """The contribution lines for one month.

    `wage` is the reported wage (PU), the declared income (BPU) or the chosen monthly JHT amount (PMI).
    `jht_opted` is Membership.jht_opted (JHT is optional for BPU and PMI; PU always pays it); `jp_enrolled` is
    False for a PU worker at or above pension age. Raises DomainError when no rate is in force, the base is out
    of bounds, or a PU line has no risk class.
    """
    period = month_start(period)
    if schedule is None:
        schedule = RateSchedule.resolve(period=period, segment=segment)
    elif (schedule.period, schedule.segment) != (period, segment):
        raise ValueError("schedule is for another period or segment")
    if isinstance(wage, bool) or not isinstance(wage, int) or wage <= 0:
        raise DomainError(_("Upah harus bilangan bulat positif."), code="wage_invalid", field="wage")
    if schedule.is_empty:
        raise DomainError(NO_RATE, code="no_rate")
    if error := schedule.base_error(wage):
        raise error
    if segment == RateSegment.PU and risk_class not in (1, 2, 3, 4, 5):
        raise DomainError(_("Kelas risiko JKK harus 1–5."), code="risk_class_invalid", field="risk_class")
    if segment == RateSegment.PU:
        jht_opted = True
    return _lines(wage, schedule, risk_class=risk_class, jht_opted=jht_opted, jp_enrolled=jp_enrolled)


# Results of remembered_contribution by (schedule content, base, risk class, JHT opted, JP enrolled).
_REMEMBERED: dict[tuple[int, int, int | None, bool, bool], ContributionLines] = {}
REMEMBER_AT_MOST = 500_000


def remembered_contribution(
    *, wage: int, schedule: RateSchedule, risk_class: int | None, jht_opted: bool = True, jp_enrolled: bool = True
) -> ContributionLines:
    """compute_contribution for bulk posting, remembered across runs in this process.

    A result depends only on the schedule's content, never its period, and rates change a few times in fifteen
    years while a worker's wage mostly stays from one month to the next: a month's import finds most of its
    rows worked out by last month's. Refusals (DomainError) are not remembered: their message is translated
    when raised."""
    key = (schedule.content_id, wage, risk_class, jht_opted, jp_enrolled)
    found = _REMEMBERED.get(key)
    if found is None:
        found = compute_contribution(
            wage=wage,
            period=schedule.period,
            segment=schedule.segment,
            risk_class=risk_class,
            schedule=schedule,
            jht_opted=jht_opted,
            jp_enrolled=jp_enrolled,
        )
        if len(_REMEMBERED) >= REMEMBER_AT_MOST:
            _REMEMBERED.clear()
        _REMEMBERED[key] = found
    return found


def _lines(
    wage: int, schedule: RateSchedule, *, risk_class: int | None, jht_opted: bool, jp_enrolled: bool
) -> ContributionLines:
    # Runs once per posted row: a plan of plain ints worked out per schedule, and a list indexed like AMOUNT_FIELDS.
    amounts = [0] * len(AMOUNT_FIELDS)
    employer_due = worker_due = jp_base = 0
    for amount_index, payer, is_jp, rate_ppm, flat_amount, cap in schedule.plan(
        risk_class, jht_opted=jht_opted, jp_enrolled=jp_enrolled
    ):
        base = wage if cap is None or wage <= cap else cap
        if is_jp:
            jp_base = base
        amount = flat_amount + apply_rate(base, rate_ppm)
        amounts[amount_index] += amount
        if payer == PAYER_EMPLOYER:
            employer_due += amount
        elif payer == PAYER_WORKER:
            worker_due += amount
    jht_employer, jht_worker, jkk, jkm, jp_employer, jp_worker, jkp_government, jkp_from_jkk, jkp_from_jkm = amounts
    return ContributionLines(
        jht_employer,
        jht_worker,
        jkk,
        jkm,
        jp_employer,
        jp_worker,
        jkp_government,
        jkp_from_jkk,
        jkp_from_jkm,
        jp_base,
        employer_due,
        worker_due,
    )


# --- pension age -----------------------------------------------------------------------------------------


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


class PensionAges:
    """The pension-age table, loaded once (a dozen rows) for a bulk run or a status."""

    def __init__(self, rows: Iterable[tuple[date, int]] | None = None):
        if rows is None:
            rows = PensionAge.objects.order_by("effective_from").values_list("effective_from", "age")
        self.rows = tuple(sorted(rows))

    def age_in_force(self, day: date) -> int | None:
        age = None
        for start, value in self.rows:
            if start > day:
                break
            age = value
        return age

    def under_pension_age(self, date_of_birth: date, day: date) -> bool:
        """True when the person is below the pension age in force on `day` (no table row: no limit)."""
        limit = self.age_in_force(day)
        return limit is None or age_on(date_of_birth, day) < limit

    def last_birth_at_pension_age(self, day: date) -> date | None:
        """The latest date of birth of a person at or above the pension age in force on `day` (None: no limit):
        a person is under it exactly when born after this day, one comparison per row for a bulk run."""
        limit = self.age_in_force(day)
        if limit is None:
            return None
        try:
            return day.replace(year=day.year - limit)
        except ValueError:  # 29 February, in a year without one: whoever is born by 28 February is of age
            return date(day.year - limit, 2, 28)

    def pension_date(self, date_of_birth: date) -> date | None:
        """The first day on which the person is at or above the pension age in force that day: the first day
        after birth that is a row's start or a birthday (the 1st to the 99th) on which age_on reaches the row's
        age. Closed form per row, since it is the member's hot read (issue 27): in the days a row is in force
        that is its start when the person is of age by then, otherwise the birthday of its age, if the row
        still holds then."""
        return _pension_date(self.rows, date_of_birth)


# Remembered per table and date of birth: the member's hot read builds a PensionAges from its statement's rows on
# every call, and the same members read again and again (a payday's reads, an import's lines of one employer).
@lru_cache(maxsize=65_536)
def _pension_date(rows: tuple[tuple[date, int], ...], date_of_birth: date) -> date | None:
    for index, (start, age) in enumerate(rows):
        end = rows[index + 1][0] if index + 1 < len(rows) else None
        if end is not None and end <= start:  # a later row of the same day is the one in force
            continue
        if start > date_of_birth and age_on(date_of_birth, start) >= age:
            return start
        years = max(age, 1)
        if years > 99:
            continue
        birthday = _birthday(date_of_birth, date_of_birth.year + years)
        if end is None or birthday < end:
            return birthday
    return None


def _birthday(date_of_birth: date, year: int) -> date:
    try:
        return date_of_birth.replace(year=year)
    except ValueError:  # born on 29 February: 1 March in other years
        return date(year, 3, 1)
