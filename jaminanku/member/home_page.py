"""The home page's KPJ cards with every figure already formatted: rupiah amounts, dates, translated phrases and
addresses are made once in Python, so that the template only places strings.

Why: rendering was 42 % of the page's server time (issue 27), most of it each KPJ's per-year table, where every
cell ran the `|rupiah` filter, the table came through an `{% include %}` inside the KPJ loop, and every program's
row a `{% blocktranslate %}`. Even as plain strings, six variables a row still cost the template about 0.4 ms
for a member with 16 years over two KPJs (a third of the page's rendering, at 1,000,000 persons): each year's
cells therefore come as one escaped piece of HTML, `YearRow.cells`, and the template places one variable a row.
The figures are those of `member.selectors` (each year's parts and `net`, and `breakdown_total` of the years),
so the rows still add up to the balance shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jaminanku.core.money import format_rupiah
from jaminanku.member.selectors import BalanceParts, KpjSummary, YearBreakdown, breakdown_total


@dataclass(frozen=True)
class YearRow:
    """One line of a per-year table, its cells as shown; the footer's `year` is empty."""

    year: str
    employer: str
    worker: str
    development: str
    claims: str
    net: str

    @property
    def cells(self) -> SafeString:
        """The row's <td>s, each text escaped (by the standard library's escape: Django's takes four times as long)."""
        amounts = "".join(
            f'<td class="num">{escape(text)}</td>'
            for text in (self.employer, self.worker, self.development, self.claims, self.net)
        )
        return mark_safe(f"<td>{escape(self.year)}</td>{amounts}")  # noqa: S308


@dataclass(frozen=True)
class ProgramRow:
    code: str
    status: str
    label: str
    since: str  # "sejak dd/mm/yyyy" in the page's language, or empty


@dataclass(frozen=True)
class KpjCard:
    kpj: str
    segment: str
    balance: str
    employer: str
    worker: str
    development: str
    claims: str  # empty when the KPJ has no claims: the card then has no claims line
    years: list[YearRow]
    total: YearRow
    last_paid: str  # "Iuran terakhir: mm/yyyy, employer." in the page's language, or empty
    active: bool
    programs: list[ProgramRow]
    balance_url: str
    claim_url: str


def _row(year: str, parts: YearBreakdown | BalanceParts) -> YearRow:
    return YearRow(
        year,
        format_rupiah(parts.employer),
        format_rupiah(parts.worker),
        format_rupiah(parts.development),
        format_rupiah(parts.claims),
        format_rupiah(parts.net),
    )


def kpj_cards(kpjs: list[KpjSummary], years: dict[int, list[YearBreakdown]]) -> list[KpjCard]:
    """A card for each KPJ, in the overview's order; `years` is each KPJ's per-year breakdown by membership id
    (as `yearly_breakdowns` gives it)."""
    # the phrases once per page, not once per KPJ or program
    last_paid_text = _("Iuran terakhir: %(period)s, %(employer)s.")
    since_text = _("sejak %(since)s")
    cards = []
    for kpj in kpjs:
        membership = kpj.membership
        kpj_years = years[membership.pk]
        last: date | None = kpj.last_period
        cards.append(
            KpjCard(
                kpj=membership.kpj,
                segment=str(membership.get_segment_display()),  # type: ignore[attr-defined]
                balance=format_rupiah(kpj.balance),
                employer=format_rupiah(kpj.employer_total),
                worker=format_rupiah(kpj.worker_total),
                development=format_rupiah(kpj.development_total),
                claims=format_rupiah(kpj.claims_total) if kpj.claims_total else "",
                years=[_row(str(y.year), y) for y in kpj_years],
                total=_row("", breakdown_total(kpj_years)),
                last_paid=(
                    last_paid_text % {"period": f"{last:%m/%Y}", "employer": kpj.last_employer or "–"} if last else ""
                ),
                active=kpj.status.is_active,
                programs=[
                    ProgramRow(
                        code,
                        program.status,
                        program.label,
                        since_text % {"since": f"{program.since:%d/%m/%Y}"} if program.since else "",
                    )
                    for code, program in kpj.status.programs.items()
                ],
                balance_url=reverse("member:balance", args=[membership.kpj]),
                claim_url=reverse("member:claim", args=[membership.kpj]),
            )
        )
    return cards
