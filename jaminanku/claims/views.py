"""The member's claim pages (/klaim-jht/): start a claim from a kind the eligibility answer offers online, fill the
draft (documents, bank account, declaration) and submit it, then follow it on the tracking page. Views only
translate HTTP to claims.online, payout_accounts and tracking, the same services the API calls; a claim, document
or slip that is not the member's own is a plain 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jaminanku.accounts.access import MemberRequest, member_required, membership_of
from jaminanku.claims import documents, online, payout_accounts, tracking
from jaminanku.claims.banks import bank_name
from jaminanku.claims.decision import HOLDER_NAME_MATCH, reason_text
from jaminanku.claims.forms import DocumentForm, PayoutAccountForm, StartForm, SubmitForm
from jaminanku.claims.models import JhtClaim, PayoutAccount
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.claims.transitions import ALLOWED
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.core.http import file_response
from jaminanku.registry.models import Membership, Person

NAV = "home"
View = Callable[..., HttpResponse]
State = JhtClaim.State
F = TypeVar("F", bound=forms.Form)


def claim_view(view: View) -> View:
    """accounts.access.member_required, handing the view the member's Person; anything of another member's
    (tracking.claim_of and document_of raise NotFound) is a 404 that says nothing about it."""

    @member_required
    @wraps(view)
    def wrapper(request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, request.person, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def show_error(form: forms.Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _form_step(
    request: HttpRequest,
    claim: JhtClaim,
    form: F,
    act: Callable[[dict[str, Any]], object],
    done: str,
    *,
    then: str,
    page: Callable[[F], HttpResponse],
) -> HttpResponse:
    """One step of a claim page's form: on a valid form the service (`act` with the cleaned data), then `done`
    (formatted with the claim's reference) and a redirect to the page `then`; a refusal is shown on the form's
    field, and the page comes back with what was typed."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, done % {"reference": claim.reference})
            return redirect(then, reference=claim.reference)
    return page(form)


def _withdrawable(claim: JhtClaim) -> bool:
    return State.WITHDRAWN in ALLOWED[claim.state]


# --- start ------------------------------------------------------------------------------------------------------
def _chosen_membership(person: Person, memberships: list[Membership], kpj: str) -> Membership | None:
    if not memberships:
        return None
    if not kpj:
        return memberships[0]
    return membership_of(person, kpj)  # another person's KPJ: NotFound, a 404


@require_http_methods(["GET", "POST"])
@claim_view
def start(request: HttpRequest, person: Person) -> HttpResponse:
    """Step 1: the KPJ and the kind, with gross, PPh 21 and net to the rupiah before anything is created."""
    memberships = list(person.memberships.order_by("-registered_on", "kpj"))
    data = request.POST if request.method == "POST" else None
    membership = _chosen_membership(person, memberships, (data or request.GET).get("kpj", ""))
    answer = eligibility_for(membership) if membership is not None else None
    options = answer.options if answer is not None else []
    form = StartForm(
        data,
        initial={"kpj": membership.kpj if membership else ""},
        memberships=memberships,
        options=options,
    )
    if data is not None and membership is not None and form.is_valid():
        try:
            claim = online.start_claim(person=person, membership=membership, kind=form.cleaned_data["kind"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Draf klaim %(reference)s dibuat.") % {"reference": claim.reference})
            return redirect("claims:draft", reference=claim.reference)
    open_claim = next((c for c in tracking.claims_of(person) if c.is_open), None)
    offered = [
        {
            "option": option,
            "label": JhtClaim.Kind(option.kind).label,
            "ground": JhtClaim.Ground(option.ground).label if option.ground else "",
            "online": "online" in option.channels,
        }
        for option in options
    ]
    return render(
        request,
        "claims/start.html",
        {
            "nav": NAV,
            "form": form,
            "membership": membership,
            "answer": answer,
            "options": offered,
            "online_count": sum(1 for o in offered if o["online"]),
            "open_claim": open_claim,
        },
        status=400 if form.errors else 200,
    )


# --- the draft --------------------------------------------------------------------------------------------------
def _draft_page(
    request: HttpRequest,
    person: Person,
    claim: JhtClaim,
    *,
    document_form: DocumentForm | None = None,
    account_form: PayoutAccountForm | None = None,
    submit_form: SubmitForm | None = None,
) -> HttpResponse:
    """The draft with every form; the one that was just sent (and refused) keeps what the member entered."""
    uploaded = list(claim.documents.all())
    rows = []
    for kind, label, present in tracking.documents_checklist(claim):
        form = document_form if document_form is not None and document_form.data.get("kind") == kind else None
        rows.append(
            {
                "kind": kind,
                "label": label,
                "present": present,
                "documents": [d for d in uploaded if d.kind == kind],
                "form": form or DocumentForm(initial={"kind": kind}, auto_id=f"id_{kind}_%s"),
            }
        )
    saved = PayoutAccount.objects.filter(person=person).first()
    if account_form is None:
        initial = (
            {
                "bank_code": saved.bank_code,
                "account_number": saved.account_number,
                "account_holder": saved.account_holder,
            }
            if saved
            else {"account_holder": person.full_name}
        )
        account_form = PayoutAccountForm(initial=initial)
    refused = any(f is not None and f.errors for f in (document_form, account_form, submit_form))
    return render(
        request,
        "claims/draft.html",
        {
            "nav": NAV,
            "claim": claim,
            "rows": rows,
            "account": saved,
            "account_bank": bank_name(saved.bank_code) if saved else "",
            "name_matches": saved is not None and saved.holder_name_score >= HOLDER_NAME_MATCH,
            "account_form": account_form,
            "submit_form": submit_form or SubmitForm(),
            "withdrawable": _withdrawable(claim),
        },
        status=400 if refused else 200,
    )


def _not_a_draft(request: HttpRequest, claim: JhtClaim) -> HttpResponse | None:
    if claim.state == State.DRAFT:
        return None
    messages.error(request, _("Klaim ini sudah diajukan dan tidak dapat diubah lagi."))
    return redirect("claims:track", reference=claim.reference)


def draft_step(view: Callable[..., HttpResponse]) -> View:
    """A POST that changes a draft: the member's own claim (claim_view), handed to the view as a claim, or back to
    the tracking page once it is submitted."""

    @require_POST
    @claim_view
    @wraps(view)
    def wrapper(request: HttpRequest, person: Person, reference: str, *args: Any, **kwargs: Any) -> HttpResponse:
        claim = tracking.claim_of(person, reference)
        return _not_a_draft(request, claim) or view(request, person, claim, *args, **kwargs)

    return wrapper


@require_GET
@claim_view
def draft(request: HttpRequest, person: Person, reference: str) -> HttpResponse:
    claim = tracking.claim_of(person, reference)
    return _not_a_draft(request, claim) or _draft_page(request, person, claim)


@draft_step
def upload(request: HttpRequest, person: Person, claim: JhtClaim) -> HttpResponse:
    kind = request.POST.get("kind", "")
    return _form_step(
        request,
        claim,
        DocumentForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s"),
        lambda data: online.add_document(claim=claim, kind=data["kind"], upload=data["file"], actor=request.user),
        _("Dokumen diunggah."),
        then="claims:draft",
        page=lambda form: _draft_page(request, person, claim, document_form=form),
    )


@draft_step
def remove(request: HttpRequest, person: Person, claim: JhtClaim, token: str) -> HttpResponse:
    try:
        online.remove_document(claim=claim, document_token=token)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Dokumen dihapus."))
    return redirect("claims:draft", reference=claim.reference)


@draft_step
def account(request: HttpRequest, person: Person, claim: JhtClaim) -> HttpResponse:
    return _form_step(
        request,
        claim,
        PayoutAccountForm(request.POST),
        lambda data: payout_accounts.set_payout_account(person=person, **data),
        _("Rekening pembayaran disimpan."),
        then="claims:draft",
        page=lambda form: _draft_page(request, person, claim, account_form=form),
    )


@draft_step
def submit(request: HttpRequest, person: Person, claim: JhtClaim) -> HttpResponse:
    return _form_step(
        request,
        claim,
        SubmitForm(request.POST),
        lambda data: online.submit_claim(claim=claim, declaration=data["declaration"]),
        _("Klaim %(reference)s diajukan. Simpan nomor klaim ini untuk memantau prosesnya."),
        then="claims:track",
        page=lambda form: _draft_page(request, person, claim, submit_form=form),
    )


@require_POST
@claim_view
def withdraw(request: HttpRequest, person: Person, reference: str) -> HttpResponse:
    claim = tracking.claim_of(person, reference)
    try:
        online.withdraw_claim(claim=claim)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Klaim %(reference)s dibatalkan.") % {"reference": claim.reference})
    return redirect("claims:track", reference=claim.reference)


# --- tracking ---------------------------------------------------------------------------------------------------
def _track_page(
    request: HttpRequest, claim: JhtClaim, *, correct_form: PayoutAccountForm | None = None
) -> HttpResponse:
    if correct_form is None and claim.state == State.RETURNED:
        correct_form = PayoutAccountForm(
            initial={
                "bank_code": claim.bank_code,
                "account_number": claim.account_number,
                "account_holder": claim.account_holder,
            }
        )
    return render(
        request,
        "claims/track.html",
        {
            "nav": NAV,
            "claim": claim,
            "bank": bank_name(claim.bank_code) if claim.bank_code else "",
            "timeline": tracking.timeline(claim),
            "documents": list(claim.documents.all()),
            # why the system approved it or sent it to an officer, in the member's language
            "decision": [reason_text(r["code"]) for r in claim.auto_decision.get("reasons", [])],
            "approved_by_system": bool(claim.auto_decision.get("approved")),
            "correct_form": correct_form,
            # a draft is withdrawn from its own page
            "withdrawable": _withdrawable(claim) and claim.state != State.DRAFT,
        },
        status=400 if correct_form is not None and correct_form.errors else 200,
    )


@require_GET
@claim_view
def my_claims(request: HttpRequest, person: Person) -> HttpResponse:
    return render(request, "claims/mine.html", {"nav": NAV, "claims": tracking.claims_of(person)})


@require_GET
@claim_view
def track(request: HttpRequest, person: Person, reference: str) -> HttpResponse:
    return _track_page(request, tracking.claim_of(person, reference))


@require_POST
@claim_view
def correct(request: HttpRequest, person: Person, reference: str) -> HttpResponse:
    """After a failed payment: the member gives the right account and the claim goes back to be paid."""
    claim = tracking.claim_of(person, reference)
    return _form_step(
        request,
        claim,
        PayoutAccountForm(request.POST),
        lambda data: online.correct_account(claim=claim, **data),
        _("Rekening diperbaiki. Klaim akan dibayar ke rekening yang baru."),
        then="claims:track",
        page=lambda form: _track_page(request, claim, correct_form=form),
    )


@require_GET
@claim_view
def document(request: HttpRequest, person: Person, reference: str, token: str) -> HttpResponse:
    doc = tracking.document_of(person, reference, token)
    name = f"{doc.kind}-{doc.claim.reference}{doc.extension}"
    return file_response(documents.read_document(doc), doc.content_type, name)


@require_GET
@claim_view
def slip(request: HttpRequest, person: Person, reference: str) -> HttpResponse:
    """The withholding slip (bukti potong PPh 21) of a paid claim."""
    claim = tracking.claim_of(person, reference)
    if claim.state != State.PAID:
        raise Http404
    try:
        pdf = tax_slip_pdf(claim)
    except DomainError as exc:  # paid, but without a slip number: say so rather than fail
        return render(
            request, "claims/slip_unavailable.html", {"nav": NAV, "claim": claim, "message": exc.message}, status=409
        )
    return file_response(pdf, "application/pdf", f"bukti-potong-{claim.reference}.pdf")
