"""Program information and calculators; usable without logging in, prefilled from the member's own record when
logged in."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jaminanku.accounts.access import person_for
from jaminanku.programs import calculators, content
from jaminanku.programs.forms import ContributionForm, DeathForm, JkpForm, PensionForm, ProjectionForm
from jaminanku.programs.models import ProgramText
from jaminanku.programs.selectors import calculator_defaults

FORMS: dict[str, type[Form]] = {
    "iuran": ContributionForm,
    "jht": ProjectionForm,
    "jp": PensionForm,
    "jkm": DeathForm,
    "jkp": JkpForm,
}


def _ppm(percent: Decimal) -> int:
    return int(percent * 10_000)


def _calculate(request: HttpRequest, prefixes: Iterable[str]) -> dict[str, Any]:
    """The calculator forms named by `prefixes` (prefilled from the member's record when logged in), and the result
    of the one the request submitted (`hitung=<prefix>`), for the calculators page and a program's own page."""
    which = request.GET.get("hitung", "")
    data = request.GET if which else None
    person = person_for(request.user)
    initial = calculator_defaults(person) if person is not None else {}
    forms = {
        prefix: FORMS[prefix](data if which == prefix else None, prefix=prefix, initial=initial.get(prefix))
        for prefix in prefixes
    }
    result: object = None
    form = forms.get(which)
    if form is not None and form.is_valid():
        d = form.cleaned_data
        if which == "iuran":
            result = calculators.contributions(wage=d["wage"], risk_class=d["risk_class"])
        elif which == "jht":
            rows = calculators.jht_projection(
                balance=d["balance"],
                monthly_wage=d["wage"],
                wage_growth_ppm=_ppm(d["growth"]),
                years=d["years"],
                return_ppm=_ppm(d["rate"]),
                start_year=timezone.localdate().year,
            )
            top = max((r.closing for r in rows), default=1) or 1
            result = {"rows": rows, "bars": [(r, round(100 * r.closing / top)) for r in rows]}
        elif which == "jp":
            result = calculators.jp_estimate(contribution_months=d["months"], average_monthly_wage=d["wage"])
        elif which == "jkp":
            result = calculators.jkp_benefit(last_wage=d["wage"])
        else:
            result = calculators.death_benefits(monthly_wage=d["wage"])
    return {"forms": forms, "which": which, "result": result}


@require_GET
def calculators_page(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/calculators.html", {**_calculate(request, FORMS), "nav": ""})


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    pages = [content.program_page(code, request.LANGUAGE_CODE) for code in ProgramText.Program.values]
    return render(request, "programs/list.html", {"pages": [p for p in pages if p], "nav": ""})


@require_GET
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code.upper() not in ProgramText.Program.values:
        raise Http404
    page = content.program_page(code.upper(), request.LANGUAGE_CODE)
    if page is None:
        raise Http404
    # the program's calculators work on its own page: a submitted form comes back here with its result
    return render(request, "programs/detail.html", {"page": page, **_calculate(request, page.calculators), "nav": ""})
