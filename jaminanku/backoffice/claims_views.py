"""The claim desk under /staf/klaim/: a branch's open claims by due date, one claim with the member's record to
decide (approve, or reject with a reason), its documents (each look audited), and a claim filed at the counter
from a checked-in queue booking. The decisions are claims.desk's services; these views only translate HTTP."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jaminanku.audit.services import record_event, record_list_view
from jaminanku.backoffice.claims_forms import (
    ApproveForm,
    BranchClaimForm,
    HeirAccountForm,
    HeirFormSet,
    RejectForm,
    heirs_from,
)
from jaminanku.backoffice.claims_selectors import (
    checked_in_booking,
    checked_in_claim_bookings,
    counter_choices,
    kept_account,
)
from jaminanku.bookings.services import mark_served
from jaminanku.claims import desk, desk_selectors, heirs
from jaminanku.claims.documents import read_document
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.requirements import required_documents
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.staff.roles import branch_of

View = Callable[..., HttpResponse]


def _found(view: View) -> View:
    """A claim, document or booking outside the officer's branch answers 404, like one that does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if branch_of(request.user) == -1:
            raise PermissionDenied  # staff without a branch post and without the supervisor role
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


@require_GET
@staff_member_required
@permission_required("claims.view_jhtclaim", raise_exception=True)
@_found
def desk_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status") or None
    office_code = request.GET.get("kantor", "")[:12]
    rows = desk_selectors.desk_claims(request.user, state=state, office_code=office_code)
    waiting = checked_in_claim_bookings(request.user) if request.user.has_perm("claims.add_jhtclaim") else []
    # the desk names members (UU 27/2022)
    record_list_view(
        object_type="claims.JhtClaim",
        ids=[r.claim.pk for r in rows],
        criteria={"page": "klaim", "status": state, "office": office_code},
    )
    return render(
        request,
        "backoffice/claims/desk.html",
        {
            "rows": rows,
            "waiting": waiting,
            "state": state,
            "states": [(s, JhtClaim.State(s).label) for s in desk_selectors.DESK_STATES],
            "overdue": sum(1 for r in rows if r.overdue),
            "office_code": office_code,
            "offices": desk_selectors.desk_offices() if branch_of(request.user) is None else None,
        },
    )


@require_GET
@staff_member_required
@permission_required("claims.view_jhtclaim", raise_exception=True)
@_found
def claim_page(request: HttpRequest, reference: str) -> HttpResponse:
    shown = desk_selectors.desk_claim(request.user, reference)
    record_event("view", instance=shown.claim)
    failed = _failed_heirs(shown.claim) if request.user.has_perm("claims.change_jhtclaim") else []
    return render(
        request,
        "backoffice/claims/claim.html",
        {
            "c": shown,
            "claim": shown.claim,
            "can_decide": shown.claim.state in desk.DECIDABLE and request.user.has_perm("claims.change_jhtclaim"),
            "prepared_it": shown.claim.prepared_by_id == request.user.pk,
            "approve_form": ApproveForm(),
            "reject_form": RejectForm(),
            "heir_account_form": HeirAccountForm(heirs=failed) if failed else None,
        },
    )


def _failed_heirs(claim: JhtClaim) -> list[Any]:
    if claim.state != JhtClaim.State.RETURNED or claim.ground != JhtClaim.Ground.DEATH:
        return []
    failed = heirs.failed_heir_payments(claim)
    return [h for h in claim.heirs.order_by("pk") if h.pk in failed]


def _decide(request: HttpRequest, reference: str, decide: Callable[[JhtClaim], JhtClaim], done: str) -> HttpResponse:
    claim = desk_selectors.desk_claim(request.user, reference).claim
    try:
        decide(claim)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done % {"ref": claim.reference})
    return redirect("backoffice:claim", reference=claim.reference)


def _desk_post(view: View) -> View:
    """A step posted from the claim page: POST only, by staff who may change claims, in their own branch."""
    guarded = permission_required("claims.change_jhtclaim", raise_exception=True)(_found(view))
    return require_POST(staff_member_required(guarded))


def _posted(form: forms.Form, name: str) -> str:
    """The form's `name` field, or empty for the service to refuse in its own words."""
    return str(form.cleaned_data[name]) if form.is_valid() else ""


@_desk_post
def take(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        lambda claim: desk.take_for_review(claim=claim, officer=request.user),
        _("Klaim %(ref)s sedang Anda periksa."),
    )


@_desk_post
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    note = _posted(ApproveForm(request.POST), "note")
    return _decide(
        request,
        reference,
        lambda claim: desk.approve_claim(claim=claim, officer=request.user, note=note),
        _("Persetujuan Anda untuk klaim %(ref)s tercatat."),
    )


@_desk_post
def reject(request: HttpRequest, reference: str) -> HttpResponse:
    reason = _posted(RejectForm(request.POST), "reason")
    return _decide(
        request,
        reference,
        lambda claim: desk.reject_claim(claim=claim, officer=request.user, reason=reason),
        _("Klaim %(ref)s ditolak; peserta diberi tahu alasannya."),
    )


@_desk_post
def heir_account(request: HttpRequest, reference: str) -> HttpResponse:
    """A failed heir's new account (death claims are the branch's to correct; the heirs filed them there)."""
    claim = desk_selectors.desk_claim(request.user, reference).claim
    form = HeirAccountForm(request.POST, heirs=_failed_heirs(claim))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("backoffice:claim", reference=claim.reference)
    return _decide(
        request,
        reference,
        lambda c: heirs.correct_heir_account(
            claim=c,
            heir_id=form.cleaned_data["heir"],
            bank_code=form.cleaned_data["bank_code"],
            account_number=form.cleaned_data["account_number"],
            account_holder=form.cleaned_data["account_holder"],
            officer=request.user,
        ),
        _("Rekening ahli waris pada klaim %(ref)s diperbaiki."),
    )


@require_GET
@staff_member_required
@permission_required("claims.view_claimdocument", raise_exception=True)
@_found
def document(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    doc = desk_selectors.desk_document(request.user, reference, token)
    # a staff look at a member's document (UU 27/2022)
    record_event("claims.document_viewed", instance=doc)
    response = HttpResponse(read_document(doc), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="{doc.claim.reference}-{doc.kind}{doc.extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@staff_member_required
@permission_required(["claims.add_jhtclaim", "bookings.change_booking"], raise_exception=True)
@_found
def open_from_booking(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 (GET): the member at the counter and what each KPJ may claim; step 2 (?kpj=&jenis=): the documents,
    the account or the heirs; POST files the claim and marks the booking served."""
    booking = checked_in_booking(request.user, code)
    choices = counter_choices(booking)
    kpj = request.POST.get("kpj") or request.GET.get("kpj") or ""
    kind = request.POST.get("jenis") or request.GET.get("jenis") or ""
    chosen = next((c for c in choices if c.membership.kpj == kpj), None)
    picked = next((o for o in chosen.options if o.kind == kind), None) if chosen else None
    option = picked.option if picked else None
    context: dict[str, Any] = {"booking": booking, "choices": choices, "chosen": chosen, "option": option}
    if option is None:
        return render(request, "backoffice/claims/open.html", context)
    death = option.ground == JhtClaim.Ground.DEATH
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = BranchClaimForm(data, files, documents=required_documents(option.ground, kind), death=death)
    heirs = HeirFormSet(data, prefix="ahli") if death else None
    context.update(form=form, heirs=heirs, death=death, kept=None if death else kept_account(booking.person))
    if request.method == "POST" and form.is_valid() and (heirs is None or heirs.is_valid()):
        try:
            with transaction.atomic():
                claim = desk.open_branch_claim(
                    person=booking.person,
                    membership=chosen.membership,  # type: ignore[union-attr]
                    kind=kind,
                    officer=request.user,
                    office=booking.slot.office,
                    booking_code=booking.code,
                    heirs=heirs_from(heirs) if heirs is not None else None,
                    bank=form.bank(),
                    documents=form.documents(),
                )
                mark_served(booking=booking, actor=request.user)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            context["error"] = exc.message
        else:
            messages.success(
                request,
                _("Klaim %(ref)s diajukan untuk %(name)s; antrean %(code)s selesai dilayani.")
                % {"ref": claim.reference, "name": booking.person.full_name, "code": booking.code},
            )
            return redirect("backoffice:claim", reference=claim.reference)
    return render(request, "backoffice/claims/open.html", context)
