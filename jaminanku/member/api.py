"""Member self-service endpoints under /api/v1/me/: balance and status, per-year breakdown, statement (JSON and
PDF), claim eligibility and the personal-data export (the card's are in card/api.py). The person always comes from
the login; a KPJ that is not the member's own answers 404, the same as one that does not exist."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.security import SessionAuth
from pydantic import BaseModel

from jaminanku.accounts.access import ReadWithTokenAuth, api_person, member_auth, membership_of
from jaminanku.claims.eligibility import describe
from jaminanku.claims.selectors import eligibility_for
from jaminanku.contributions.selectors import STATUS_LABELS, MembershipStatus, payment_months
from jaminanku.core.api_schemas import errors
from jaminanku.core.http import file_response
from jaminanku.member.personal_data import export_personal_data
from jaminanku.member.selectors import (
    KpjSummary,
    MemberOverview,
    StatementLine,
    YearBreakdown,
    member_overview,
    statement,
    yearly_breakdown,
)
from jaminanku.member.selectors_hot import overview_for_token
from jaminanku.member.statement_pdf import statement_pdf
from jaminanku.registry.models import Membership

# A year as a query parameter: within what a date can hold, so no input can make the statement fail.
Year = int | None
YEAR = Query(None, ge=1900, le=9998)

router = Router(tags=["member"], auth=member_auth)
KPJ_ERRORS = errors(401, 403, 404, 422)  # 404: not a KPJ of this member


def _membership(request: HttpRequest, kpj: str) -> Membership:
    return membership_of(api_person(request), kpj)


# The balance's answer models are plain pydantic models: ninja's Schema wraps every nested dict in a getter for
# ORM objects first, which was a quarter of the hot read's CPU (issue 27); these are only ever built from dicts.
class ProgramOut(BaseModel):
    status: str  # active, non_active, not_enrolled
    label: str
    since: date | None


class StatusOut(BaseModel):
    status: str
    since: date | None
    programs: dict[str, ProgramOut]


class KpjOut(BaseModel):
    kpj: str
    segment: str
    balance: int
    employer_total: int
    worker_total: int
    development_total: int
    claims_total: int
    last_period: date | None
    last_employer: str
    status: StatusOut


class BalanceOut(BaseModel):
    full_name: str
    total_balance: int
    employer_total: int
    worker_total: int
    development_total: int
    claims_total: int
    as_of: date
    kpjs: list[KpjOut]


# The balance's answer is built as plain dicts and validated once, by the response schema: building the schema
# objects here would validate every KPJ twice, a third of the hot read's CPU (issue 27).
def _status(status: MembershipStatus, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "status": status.status,
        "since": status.since,
        "programs": {
            code: {"status": p.status, "label": labels[p.status], "since": p.since}
            for code, p in status.programs.items()
        },
    }


def _kpj(summary: KpjSummary, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "kpj": summary.membership.kpj,
        "segment": summary.membership.segment,
        "balance": summary.balance,
        "employer_total": summary.employer_total,
        "worker_total": summary.worker_total,
        "development_total": summary.development_total,
        "claims_total": summary.claims_total,
        "last_period": summary.last_period,
        "last_employer": summary.last_employer,
        "status": _status(summary.status, labels),
    }


balance_auth = ReadWithTokenAuth(overview_for_token)


@router.get(
    "/balance",
    response={200: BalanceOut, **errors(401, 403)},
    summary="JHT balance, breakdown and status of every KPJ",
    # the payday read: a bearer token's check and the whole answer in one SQL statement (selectors_hot)
    auth=[balance_auth, SessionAuth()],
)
def balance(request: HttpRequest) -> HttpResponse:
    overview: MemberOverview | None = getattr(request, "token_read", None)
    if overview is None:  # a web session's call, or a login without member data (api_person refuses it)
        overview = member_overview(api_person(request))
    labels = _status_labels(get_language())
    answer = {
        "full_name": overview.person.full_name,
        "total_balance": overview.total_balance,
        "employer_total": overview.employer_total,
        "worker_total": overview.worker_total,
        "development_total": overview.development_total,
        "claims_total": overview.claims_total,
        "as_of": overview.as_of,
        "kpjs": [_kpj(k, labels) for k in overview.kpjs],
    }
    # Validated by the declared schema and written to JSON by pydantic in one pass, where ninja's own path
    # validates, dumps to dicts and encodes with the json module's encoder, calling it back for every date: a
    # fifth of the payday read's Python time (issue 27, bench/README.md). The same JSON, without the spaces.
    body = BalanceOut.model_validate(answer).model_dump_json()
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@lru_cache(maxsize=16)
def _status_labels(language: str | None) -> dict[str, str]:
    """The status labels in the active language, translated once per process instead of three lookups per read;
    `language` is that active language (`get_language()`), the key under which they are kept."""
    return {status: str(label) for status, label in STATUS_LABELS.items()}


@router.get(
    "/kpj/{kpj}/years", response={200: list[YearBreakdown], **KPJ_ERRORS}, summary="Per-year breakdown of one KPJ"
)
def years(request: HttpRequest, kpj: str) -> list[YearBreakdown]:
    return yearly_breakdown(_membership(request, kpj))


class StatementOut(Schema):
    kpj: str
    year: int | None
    opening: int
    closing: int
    lines: list[StatementLine]


@router.get(
    "/kpj/{kpj}/statement", response={200: StatementOut, **KPJ_ERRORS}, summary="Every entry of one KPJ, or of one year"
)
def statement_json(request: HttpRequest, kpj: str, year: Year = YEAR) -> StatementOut:
    result = statement(_membership(request, kpj), year=year)
    return StatementOut(
        kpj=kpj,
        year=year,
        opening=result.opening,
        closing=result.closing,
        lines=result.lines,
    )


@router.get(
    "/kpj/{kpj}/statement.pdf",
    response={200: None, **KPJ_ERRORS},
    summary="The Rincian Saldo PDF (one year or all years)",
)
def statement_document(request: HttpRequest, kpj: str, year: Year = YEAR) -> HttpResponse:
    body = statement_pdf(statement(_membership(request, kpj), year=year), printed_on=timezone.localdate())
    return file_response(body, "application/pdf", f"rincian-saldo-{kpj}-{year or 'semua'}.pdf")


class EligibilityOptionOut(Schema):
    # not "OptionOut": the claims API has a schema of that name, and OpenAPI would show one shape for both
    kind: str
    ground: str  # a JhtClaim.Ground value: why this kind may be claimed
    channels: list[str]  # "online" and/or "branch": where it may be claimed
    percent: int
    gross: int
    tax: int
    net: int
    text: str


class EligibilityOut(Schema):
    can_claim: bool
    full: bool
    options: list[EligibilityOptionOut]
    reasons: list[str]
    reason_codes: list[str]
    full_claim_from: date | None


@router.get(
    "/kpj/{kpj}/eligibility",
    response={200: EligibilityOut, **KPJ_ERRORS},
    summary="Can I claim JHT now, how much, and if not when",
)
def eligibility(request: HttpRequest, kpj: str) -> EligibilityOut:
    answer = eligibility_for(_membership(request, kpj))
    return EligibilityOut(
        can_claim=answer.can_claim,
        full=answer.full is not None,
        options=[
            EligibilityOptionOut(
                kind=o.kind,
                ground=o.ground,
                channels=list(o.channels),
                percent=o.percent,
                gross=o.gross,
                tax=o.tax,
                net=o.net,
                text=describe(o),
            )
            for o in answer.options
        ],
        reasons=answer.reasons,
        reason_codes=answer.reason_codes,
        full_claim_from=answer.full_claim_from,
    )


@router.get(
    "/data",
    response={200: dict[str, Any], **errors(401, 403)},
    summary="All data held about the member (UU 27/2022 right of access), the same as /akun/data-saya.json",
)
def my_data(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    response["Cache-Control"] = "private, no-store"
    return export_personal_data(person=api_person(request))


class MonthPaymentOut(Schema):
    period: date
    due_date: date
    paid_on: date | None
    state: str  # on_time, late, unpaid, not_due, paid (paid before payment days were recorded)
    label: str
    days_late: int


@router.get(
    "/kpj/{kpj}/months",
    response={200: list[MonthPaymentOut], **KPJ_ERRORS},
    summary="The contribution months of one year (default: this year): paid on time, paid late, or unpaid",
)
def months(request: HttpRequest, kpj: str, year: Year = YEAR) -> list[MonthPaymentOut]:
    found = payment_months(_membership(request, kpj), year=year or timezone.localdate().year)
    return [
        MonthPaymentOut(
            period=m.period,
            due_date=m.due_date,
            paid_on=m.paid_on,
            state=m.state,
            label=m.label,
            days_late=m.days_late,
        )
        for m in found
    ]
