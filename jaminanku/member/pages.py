"""The member's balance pages: per-year detail of one KPJ, the Rincian Saldo PDF, and JHT claim eligibility.
The KPJ in the address is looked up among the logged-in person's own KPJs only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jaminanku.accounts.access import MemberRequest, member_required, membership_of
from jaminanku.claims.eligibility import describe
from jaminanku.claims.selectors import eligibility_for
from jaminanku.contributions.selectors import payment_months
from jaminanku.core.errors import NotFound
from jaminanku.core.http import file_response
from jaminanku.member.selectors import breakdown_total, statement, yearly_breakdown
from jaminanku.member.statement_pdf import statement_pdf
from jaminanku.registry.models import Membership


def _own(request: MemberRequest, kpj: str) -> Membership:
    try:
        return membership_of(request.person, kpj)
    except NotFound:
        raise Http404 from None


def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return None


@require_GET
@member_required
def balance(request: MemberRequest, kpj: str) -> HttpResponse:
    membership = _own(request, kpj)
    years = yearly_breakdown(membership)
    year_numbers = [y.year for y in years]
    year = _year(request, year_numbers) or (year_numbers[0] if year_numbers else None)
    return render(
        request,
        "member/balance.html",
        {
            "nav": "home",
            "membership": membership,
            "years": years,
            "total": breakdown_total(years),
            "year": year,
            "statement": statement(membership, year=year) if year else None,
            # the months of the year shown, or of this year when the KPJ has no entries yet
            "payment_year": (payment_year := year or timezone.localdate().year),
            "payment_months": payment_months(membership, year=payment_year),
        },
    )


@require_GET
@member_required
def balance_pdf(request: MemberRequest, kpj: str) -> HttpResponse:
    membership = _own(request, kpj)
    year = _year(request, [y.year for y in yearly_breakdown(membership)])
    body = statement_pdf(statement(membership, year=year), printed_on=timezone.localdate())
    return file_response(body, "application/pdf", f"rincian-saldo-{membership.kpj}-{year or 'semua'}.pdf")


@require_GET
@member_required
def claim(request: MemberRequest, kpj: str) -> HttpResponse:
    membership = _own(request, kpj)
    answer = eligibility_for(membership)
    return render(
        request,
        "member/claim.html",
        {
            "nav": "home",
            "membership": membership,
            "answer": answer,
            "options": [(option, describe(option)) for option in answer.options],
            "online": any(option.online for option in answer.options),  # a claim can start on /klaim-jht/
        },
    )
