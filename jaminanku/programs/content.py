"""Program pages: the newest text version per program and language, with yearly figures filled in from the
rate and benefit tables (so a new JP cap row changes the page without anyone retyping it)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from jaminanku.contributions.models import WageCap
from jaminanku.core.money import format_rupiah
from jaminanku.programs.calculators import figure
from jaminanku.programs.models import ProgramText


def figures(on: date | None = None) -> dict[str, str]:
    on = on or timezone.localdate()
    cap = (
        WageCap.objects.filter(program="JP", kind="cap", segment="PU", effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    values = {
        "jp_wage_cap": format_rupiah(cap.amount) if cap else "–",
        "jp_min": format_rupiah(figure("jp_min_monthly", on)),
        "jp_max": format_rupiah(figure("jp_max_monthly", on)),
        "jkm_total": format_rupiah(figure("jkm_lump_sum", on) + figure("jkm_periodic", on) + figure("jkm_funeral", on)),
        "jkm_scholarship": format_rupiah(figure("jkm_scholarship_max", on)),
        "jkk_death_months": str(figure("jkk_death_wage_months", on)),
    }
    return values


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class ProgramPage:
    program: str
    title: str
    paragraphs: list[str]
    version: ProgramText


def program_page(program: str, language: str) -> ProgramPage | None:
    text = (
        ProgramText.objects.filter(program=program, language=language).order_by("-created_at", "-id").first()
        or ProgramText.objects.filter(program=program, language="id").order_by("-created_at", "-id").first()
    )
    if text is None:
        return None
    values = _Blank(figures())
    body = string.Formatter().vformat(text.body.replace("{{", "{{{{").replace("}}", "}}}}"), (), values)
    return ProgramPage(program, text.title, [p.strip() for p in body.split("\n\n") if p.strip()], text)
