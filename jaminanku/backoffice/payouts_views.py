"""Paying approved claims (/staf/pembayaran-klaim/, permission claims.add_disbursementbatch: finance and
supervisors): what waits, a new batch by bank file or payout API, the batch's files and its result file. Each
page that shows payees is recorded in the audit log, each download and upload too; the writes are the
claims.payouts services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jaminanku.audit.services import record_event, record_list_view
from jaminanku.claims.models import DisbursementBatch
from jaminanku.claims.payouts import (
    apply_result_file,
    available_methods,
    create_batch,
    sample_result_csv,
    send_batch,
)
from jaminanku.claims.payouts import selectors as payout_selectors
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah

PERMISSION = "claims.add_disbursementbatch"


class ResultFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas hasil dari bank (CSV)"))


def _payments_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @staff_member_required
    @permission_required(PERMISSION, raise_exception=True)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


def _methods() -> list[tuple[str, str]]:
    return [(code, str(DisbursementBatch.Method(code).label)) for code in available_methods()]


@require_GET
@_payments_staff
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/payouts/index.html",
        {
            "waiting": payout_selectors.waiting(),
            "methods": _methods(),
            "batches": payout_selectors.batches(),
            "nav": "",
        },
    )


@require_POST
@_payments_staff
def create(request: HttpRequest) -> HttpResponse:
    try:
        batch = create_batch(method=request.POST.get("method", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("backoffice:payouts:index")
    messages.success(request, _("Batch %(ref)s dibuat.") % {"ref": batch.reference})
    return redirect("backoffice:payouts:batch", reference=batch.reference)


@require_GET
@_payments_staff
def batch(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(DisbursementBatch, reference=reference)
    payments = list(payout_selectors.batch_payments(found))
    # the lines name members and heirs with their accounts (UU 27/2022)
    record_list_view(
        object_type="claims.Disbursement", ids=[p.pk for p in payments], criteria={"batch": found.reference}
    )
    return render(
        request,
        "backoffice/payouts/batch.html",
        {
            "batch": found,
            "payments": payments,
            "total": format_rupiah(sum(p.amount for p in payments)),
            "form": ResultFileForm(),
            "nav": "",
        },
    )


def _attachment(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@_payments_staff
def transfer_file(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(DisbursementBatch, reference=reference)
    if not found.transfer_file:
        messages.error(request, _("Batch ini tidak mempunyai berkas transfer."))
        return redirect("backoffice:payouts:batch", reference=found.reference)
    with found.transfer_file.open("rb") as handle:
        content = handle.read()
    record_event("claims.transfer_file_downloaded", instance=found)
    return _attachment(content, f"transfer-{found.reference}.csv")


@require_GET
@_payments_staff
def sample_result(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(DisbursementBatch, reference=reference, method=DisbursementBatch.Method.BANK_FILE)
    record_event("claims.sample_result_downloaded", instance=found)
    return _attachment(sample_result_csv(found), f"hasil-{found.reference}.csv")


@require_POST
@_payments_staff
def upload_result(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(DisbursementBatch, reference=reference, method=DisbursementBatch.Method.BANK_FILE)
    form = ResultFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas hasil dari bank."))
        return redirect("backoffice:payouts:batch", reference=found.reference)
    try:
        settlement = apply_result_file(found, form.cleaned_data["file"], request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("backoffice:payouts:batch", reference=found.reference)
    messages.success(
        request,
        _("Hasil diterapkan: %(paid)d berhasil, %(failed)d gagal, %(same)d sudah tercatat; %(claims)d klaim dibayar.")
        % {
            "paid": settlement.paid,
            "failed": settlement.failed,
            "same": settlement.unchanged,
            "claims": settlement.claims_paid,
        },
    )
    return redirect("backoffice:payouts:batch", reference=found.reference)


@require_POST
@_payments_staff
def resend(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(DisbursementBatch, reference=reference, state=DisbursementBatch.State.SENT)
    try:
        send_batch(found, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Batch %(ref)s dikirim ulang dengan kunci idempotensi yang sama.") % {"ref": found.reference}
        )
    return redirect("backoffice:payouts:batch", reference=found.reference)
