"""The member's JHT claims under /api/v1/claims/: what may be claimed per KPJ (gross, tax and net to the rupiah),
the banks and the member's payout account, and their own claims - start, documents (multipart), submit with the
declaration, withdraw, a corrected account after a failed payment, the list, one claim with its timeline and
documents checklist, and a document's file. The same services as the web pages; the person always comes from the
login, and another member's claim or document answers 404 like one that does not exist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from jaminanku.accounts.access import api_person, member_auth, membership_of
from jaminanku.claims import decision, documents, online, tracking
from jaminanku.claims.banks import BANKS, bank_name
from jaminanku.claims.eligibility import Eligibility
from jaminanku.claims.models import ClaimDocument, JhtClaim, PayoutAccount
from jaminanku.claims.payout_accounts import set_payout_account
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.core.http import file_response

router = Router(tags=["claims"], auth=member_auth)
READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)  # 403 also: a web session's POST without its CSRF token


class OptionOut(Schema):
    kind: str
    kind_label: str
    ground: str
    ground_label: str
    percent: int
    gross: int
    tax: int
    net: int
    online: bool = Field(description="false: claimed at a branch only")
    documents: list[str] = Field(description="ClaimDocument kinds the claim needs")


class KpjOptionsOut(Schema):
    kpj: str
    segment: str
    can_claim: bool
    options: list[OptionOut]
    reasons: list[str]
    reason_codes: list[str]
    full_claim_from: date | None


class BankOut(Schema):
    code: str = Field(description="Bank Indonesia bank code (sandi bank)")
    name: str


class PayoutAccountIn(Schema):
    bank_code: str = Field(max_length=8)
    account_number: str = Field(max_length=40)
    account_holder: str = Field(max_length=120)

    def account(self) -> dict[str, str]:
        """The fields as the account services take them (set_payout_account, correct_account)."""
        return {name: getattr(self, name) for name in ("bank_code", "account_number", "account_holder")}


class PayoutAccountOut(Schema):
    bank_code: str
    bank_name: str
    account_number: str
    account_holder: str
    holder_name_matches: bool
    changed_at: datetime


class StartIn(Schema):
    kpj: str = Field(max_length=11)
    kind: str = Field(max_length=12)


class SubmitIn(Schema):
    declaration: bool = Field(description="the member declares that what they gave is true")


class DocumentOut(Schema):
    token: str
    kind: str
    label: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str


class ChecklistOut(Schema):
    kind: str
    label: str
    present: bool


class StepOut(Schema):
    at: datetime
    state: str
    label: str
    by: str
    note: str


class ClaimSummaryOut(Schema):
    reference: str
    kpj: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    gross: int
    tax: int
    net: int
    submitted_at: datetime | None
    due_on: date | None


class ClaimOut(ClaimSummaryOut):
    ground: str
    ground_label: str
    channel: str
    office: str | None
    bank_code: str
    bank_name: str
    account_number: str
    account_holder: str
    decided_at: datetime | None
    paid_on: date | None
    rejection_reason: str
    review_reasons: list[str] = Field(description="why an officer checks it, when the system did not approve it")
    documents: list[DocumentOut]
    checklist: list[ChecklistOut]
    timeline: list[StepOut]


def _options(kpj: str, segment: str, answer: Eligibility) -> KpjOptionsOut:
    return KpjOptionsOut(
        kpj=kpj,
        segment=segment,
        can_claim=answer.can_claim,
        options=[
            OptionOut(
                kind=o.kind,
                kind_label=str(JhtClaim.Kind(o.kind).label),
                ground=o.ground,
                ground_label=str(JhtClaim.Ground(o.ground).label) if o.ground else "",
                percent=o.percent,
                gross=o.gross,
                tax=o.tax,
                net=o.net,
                online=o.online,
                documents=documents.required_kinds(o.ground, o.kind),
            )
            for o in answer.options
        ],
        reasons=[str(r) for r in answer.reasons],
        reason_codes=list(answer.reason_codes),
        full_claim_from=answer.full_claim_from,
    )


def _account_out(account: PayoutAccount) -> PayoutAccountOut:
    return PayoutAccountOut(
        bank_code=account.bank_code,
        bank_name=bank_name(account.bank_code),
        account_number=account.account_number,
        account_holder=account.account_holder,
        holder_name_matches=account.holder_name_score >= decision.HOLDER_NAME_MATCH,
        changed_at=account.changed_at,
    )


def _document_url(claim: JhtClaim, document: ClaimDocument) -> str:
    return f"/api/v1/claims/mine/{claim.reference}/documents/{document.token}"


def _document_out(claim: JhtClaim, document: ClaimDocument) -> DocumentOut:
    return DocumentOut(
        token=document.token,
        kind=document.kind,
        label=str(document.get_kind_display()),
        content_type=document.content_type,
        size=document.size,
        uploaded_at=document.uploaded_at,
        url=_document_url(claim, document),
    )


def _summary_fields(claim: JhtClaim) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "kpj": claim.membership.kpj,
        "kind": claim.kind,
        "kind_label": str(claim.get_kind_display()),
        "state": claim.state,
        "state_label": str(claim.get_state_display()),
        "gross": claim.gross,
        "tax": claim.tax,
        "net": claim.net,
        "submitted_at": claim.submitted_at,
        "due_on": claim.due_on,
    }


def _claim_out(claim: JhtClaim) -> ClaimOut:
    verdict = claim.auto_decision or {}
    review = [] if verdict.get("approved", True) else [decision.reason_text(r["code"]) for r in verdict["reasons"]]
    return ClaimOut(
        **_summary_fields(claim),
        ground=claim.ground,
        ground_label=str(claim.get_ground_display()) if claim.ground else "",
        channel=claim.channel,
        office=claim.office.name if claim.office else None,
        bank_code=claim.bank_code,
        bank_name=bank_name(claim.bank_code) if claim.bank_code else "",
        account_number=claim.account_number,
        account_holder=claim.account_holder,
        decided_at=claim.decided_at,
        paid_on=claim.paid_on,
        rejection_reason=claim.rejection_reason,
        review_reasons=review,
        documents=[_document_out(claim, d) for d in claim.documents.all()],
        checklist=[ChecklistOut(kind=k, label=label, present=p) for k, label, p in tracking.documents_checklist(claim)],
        timeline=[
            StepOut(at=e.at, state=e.state_to, label=str(e.get_state_to_display()), by=e.actor_label, note=e.note)
            for e in tracking.timeline(claim)
        ],
    )


def _claim(request: HttpRequest, reference: str) -> JhtClaim:
    return tracking.claim_of(api_person(request), reference)


@router.get(
    "/eligibility",
    response={200: list[KpjOptionsOut], **errors(401, 403)},
    operation_id="claims_eligibility",
    summary="What each of my KPJs may claim now: gross, tax and net",
)
def claim_options(request: HttpRequest) -> list[KpjOptionsOut]:
    person = api_person(request)
    return [_options(m.kpj, m.segment, eligibility_for(m)) for m in person.memberships.order_by("kpj")]


@router.get("/banks", response=list[BankOut], auth=None, operation_id="claims_banks", summary="Banks paid to")
def banks(request: HttpRequest) -> list[BankOut]:
    return [BankOut(code=b.code, name=b.name) for b in sorted(BANKS, key=lambda b: b.name)]


@router.get(
    "/payout-account",
    response={200: PayoutAccountOut, **READ_ERRORS},
    operation_id="claims_payout_account",
    summary="My bank account for claim payments",
)
def payout_account(request: HttpRequest) -> PayoutAccountOut:
    account = PayoutAccount.objects.filter(person=api_person(request)).first()
    if account is None:
        raise NotFound(_("Belum ada rekening pembayaran."), code="payout_account_missing")
    return _account_out(account)


@router.put(
    "/payout-account",
    response={200: PayoutAccountOut, **errors(400, 401, 403, 422)},
    operation_id="claims_set_payout_account",
    summary="Sets or changes it (a change is told to my email and phone)",
)
def put_payout_account(request: HttpRequest, payload: PayoutAccountIn) -> PayoutAccountOut:
    return _account_out(set_payout_account(person=api_person(request), **payload.account()))


@router.get("/mine", response={200: list[ClaimSummaryOut], **errors(401, 403)}, operation_id="claims_list")
def my_claims(request: HttpRequest) -> list[ClaimSummaryOut]:
    return [ClaimSummaryOut(**_summary_fields(c)) for c in tracking.claims_of(api_person(request))[:100]]


@router.post(
    "/mine",
    response={201: ClaimOut, **WRITE_ERRORS},
    operation_id="claims_start",
    summary="Starts a draft claim (409: another claim is open)",
)
def start(request: HttpRequest, payload: StartIn) -> Status:
    person = api_person(request)
    claim = online.start_claim(person=person, membership=membership_of(person, payload.kpj), kind=payload.kind)
    return Status(201, _claim_out(claim))


@router.get("/mine/{reference}", response={200: ClaimOut, **READ_ERRORS}, operation_id="claims_get")
def get_claim(request: HttpRequest, reference: str) -> ClaimOut:
    return _claim_out(_claim(request, reference))


@router.post(
    "/mine/{reference}/documents",
    response={201: DocumentOut, **WRITE_ERRORS},
    operation_id="claims_add_document",
    summary="Uploads a document (JPEG, PNG or PDF, decided by its content)",
)
def add_document(request: HttpRequest, reference: str, kind: Form[str], file: File[UploadedFile]) -> Status:
    claim = _claim(request, reference)
    document = online.add_document(claim=claim, kind=kind, upload=file, actor=request.user)
    return Status(201, _document_out(claim, document))


@router.delete(
    "/mine/{reference}/documents/{token}",
    response={204: None, **WRITE_ERRORS},
    operation_id="claims_remove_document",
)
def remove_document(request: HttpRequest, reference: str, token: str) -> Status:
    online.remove_document(claim=_claim(request, reference), document_token=token)
    return Status(204, None)


@router.get(
    "/mine/{reference}/documents/{token}",
    response={200: None, **READ_ERRORS},
    operation_id="claims_document_file",
    summary="The stored file (as re-encoded when uploaded)",
)
def document_file(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    document = tracking.document_of(api_person(request), reference, token)
    name = f"{document.kind}-{document.token[:8]}{document.extension}"
    return file_response(documents.read_document(document), document.content_type, name)


@router.get(
    "/mine/{reference}/slip.pdf",
    response={200: None, **errors(401, 403, 404, 409)},
    operation_id="claims_slip",
    summary="The withholding slip (bukti potong PPh 21) of a paid claim (409 until it is paid)",
)
def slip(request: HttpRequest, reference: str) -> HttpResponse:
    claim = _claim(request, reference)
    return file_response(tax_slip_pdf(claim), "application/pdf", f"bukti-potong-{claim.reference}.pdf")


@router.post(
    "/mine/{reference}/submit",
    response={200: ClaimOut, **WRITE_ERRORS},
    operation_id="claims_submit",
    summary="Submits it; approved by the system or sent to an officer",
)
def submit(request: HttpRequest, reference: str, payload: SubmitIn) -> ClaimOut:
    return _claim_out(online.submit_claim(claim=_claim(request, reference), declaration=payload.declaration))


@router.post("/mine/{reference}/withdraw", response={200: ClaimOut, **WRITE_ERRORS}, operation_id="claims_withdraw")
def withdraw(request: HttpRequest, reference: str) -> ClaimOut:
    return _claim_out(online.withdraw_claim(claim=_claim(request, reference)))


@router.post(
    "/mine/{reference}/correct-account",
    response={200: ClaimOut, **WRITE_ERRORS},
    operation_id="claims_correct_account",
    summary="A new account after a failed payment; paid again",
)
def correct_account(request: HttpRequest, reference: str, payload: PayoutAccountIn) -> ClaimOut:
    return _claim_out(online.correct_account(claim=_claim(request, reference), **payload.account()))
