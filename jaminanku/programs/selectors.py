"""What the program pages and calculators read: the contribution lines of a program in force today, from the rate
table that posts contributions; and what a logged-in member's own record says for the calculators (the last wage
and risk class, the JHT balance, the years left to pension age, the JP months and average wage so far), used only
to prefill the forms: the member can change every figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions.models import Account, Contribution, Party, Program, RateSegment
from jaminanku.contributions.periods import month_start
from jaminanku.contributions.rates import PensionAges, RateSchedule
from jaminanku.registry.models import Person


def calculator_defaults(person: Person, *, today: date | None = None) -> dict[str, dict[str, Any]]:
    """Initial values per calculator form prefix ("iuran", "jht", "jp", "jkm", "jkp"); empty when nothing is known."""
    today = today or timezone.localdate()
    paid = Contribution.objects.filter(membership__person=person, reversed_at__isnull=True)
    last = paid.order_by("-period").values("wage", "risk_class").first()
    balance = sum(Account.objects.filter(membership__person=person).values_list("balance", flat=True))
    jp = paid.aggregate(months=Count("id", filter=Q(jp_base__gt=0)), wage=Avg("jp_base", filter=Q(jp_base__gt=0)))
    pension_on = PensionAges().pension_date(person.date_of_birth)
    years_left = max(1, pension_on.year - today.year) if pension_on else None
    defaults: dict[str, dict[str, Any]] = {"iuran": {}, "jht": {"balance": balance}, "jp": {}, "jkm": {}, "jkp": {}}
    if last is not None:
        defaults["iuran"] = {"wage": last["wage"], "risk_class": last["risk_class"] or 1}
        defaults["jht"]["wage"] = last["wage"]
        defaults["jkm"] = {"wage": last["wage"]}
        defaults["jkp"] = {"wage": last["wage"]}
    if years_left is not None:
        defaults["jht"]["years"] = min(years_left, 50)
    if jp["months"]:
        defaults["jp"] = {"months": min(jp["months"], 600), "wage": round(jp["wage"])}
    return defaults


# What a contribution line is a share of, per segment: the wage (PU), the declared income (BPU), or the monthly JHT
# amount the member chose (PMI, taken whole).
BASE_OF_SEGMENT = {
    RateSegment.PU: _("upah sebulan"),
    RateSegment.BPU: _("penghasilan sebulan yang dilaporkan"),
    RateSegment.PMI: _("iuran JHT pilihan peserta"),
}


@dataclass(frozen=True)
class RateRow:
    """One line of a program's contribution schedule as a member reads it."""

    segment: str
    segment_label: str
    party_label: str
    risk_class: int | None
    rate_ppm: int
    flat_amount: int
    base_label: str
    cap: int | None  # the base is cut off here (JP, JKP)
    minimum: int | None  # a smaller base is refused (BPU income, PMI JHT amount)
    maximum: int | None  # a larger base is refused (PMI JHT amount)


def program_rates(program: str, *, on: date | None = None) -> list[RateRow]:
    """The contribution lines of `program` in force for the month of `on`, per segment, read from the same rate
    table (RateSchedule) that posts contributions: the program pages never carry a rate of their own."""
    period = month_start(on or timezone.localdate())
    party_labels = dict(Party.choices)
    rows: list[RateRow] = []
    for segment, segment_label in RateSegment.choices:
        schedule = RateSchedule.resolve(period=period, segment=segment)
        lines = sorted(
            (line for line in schedule.lines if line.program == program),
            key=lambda line: (list(Party.values).index(line.party), line.risk_class or 0),
        )
        for line in lines:
            rows.append(
                RateRow(
                    segment=segment,
                    segment_label=str(segment_label),
                    party_label=str(party_labels[line.party]),
                    risk_class=line.risk_class,
                    rate_ppm=line.rate_ppm,
                    flat_amount=line.flat_amount,
                    base_label=str(BASE_OF_SEGMENT[RateSegment(segment)]),
                    cap=schedule.caps.get(program),
                    minimum=schedule.minimums.get(program, schedule.minimums.get("")),
                    maximum=schedule.maximums.get(program, schedule.maximums.get("")),
                )
            )
    return rows


def jkk_risk_class_rates(*, on: date | None = None) -> dict[int, int]:
    """rate_ppm of JKK for each risk class of a PU employer, for the calculator's choices."""
    schedule = RateSchedule.resolve(period=month_start(on or timezone.localdate()), segment=RateSegment.PU)
    return {
        line.risk_class: line.rate_ppm
        for line in schedule.lines
        if line.program == Program.JKK and line.risk_class is not None
    }
