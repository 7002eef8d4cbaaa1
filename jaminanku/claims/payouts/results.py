"""Reading the bank's result file back: the transfer file's layout (bank_file.py) plus `status` (BERHASIL or
GAGAL) and `reason`. Every line is checked before anything is applied - it must name a payment of this batch with
the same account and amount, and a payment already settled may only be repeated with the same result - so a file
with one bad line changes nothing and the staff member sees every bad line at once."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaminanku.audit.services import record_event
from jaminanku.claims.models import Disbursement, DisbursementBatch
from jaminanku.claims.payouts.bank_file import COLUMNS, FAILED, SUCCEEDED
from jaminanku.claims.payouts.settle import Outcome, Settlement, settle_many
from jaminanku.core.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
SHOWN_ERRORS = 20
STATUS_OF = {SUCCEEDED: Disbursement.Status.PAID, FAILED: Disbursement.Status.FAILED}


def _read(upload: UploadedFile | bytes) -> list[dict[str, str]]:
    raw = upload if isinstance(upload, bytes) else upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DomainError(_("Berkas hasil terlalu besar."), code="result_file", field="file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(_("Berkas hasil bukan teks UTF-8."), code="result_file", field="file") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in (*COLUMNS, "status") if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(
            _("Kolom berkas hasil tidak lengkap: %(columns)s.") % {"columns": ", ".join(missing)},
            code="result_file",
            field="file",
        )
    try:
        return list(reader)
    except csv.Error as exc:
        raise DomainError(_("Berkas hasil tidak dapat dibaca."), code="result_file", field="file") from exc


def _check(row: dict[str, Any], batch: DisbursementBatch, payment: Disbursement | None) -> str:
    """What is wrong with one line ("" when nothing)."""
    reference = (row.get("transfer_reference") or "").strip()
    status = (row.get("status") or "").strip().upper()
    if (row.get("batch_reference") or "").strip() != batch.reference:
        return _("nomor batch bukan %(batch)s") % {"batch": batch.reference}
    if payment is None:
        return _("referensi %(ref)s tidak ada dalam batch ini") % {"ref": reference[:64]}
    if (row.get("amount") or "").strip() != str(payment.amount):
        return _("jumlah tidak sama dengan berkas transfer")
    if (row.get("account_number") or "").strip() != payment.account_number:
        return _("nomor rekening tidak sama dengan berkas transfer")
    if status not in STATUS_OF:
        return _("status harus BERHASIL atau GAGAL")
    settled = payment.status in (Disbursement.Status.PAID, Disbursement.Status.FAILED)
    if settled and payment.status != STATUS_OF[status]:
        return _("pembayaran ini sudah tercatat %(status)s") % {"status": payment.get_status_display()}
    return ""


def outcomes_of(batch: DisbursementBatch, upload: UploadedFile | bytes) -> list[Outcome]:
    rows = _read(upload)
    payments = {d.idempotency_key: d for d in batch.disbursements.all()}
    errors, outcomes, seen = [], [], set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        reference = (row.get("transfer_reference") or "").strip()
        problem = _check(row, batch, payments.get(reference))
        if not problem and reference in seen:
            problem = _("referensi %(ref)s muncul dua kali") % {"ref": reference}
        if problem:
            errors.append(_("Baris %(line)d: %(problem)s.") % {"line": number, "problem": problem})
            continue
        seen.add(reference)
        succeeded = (row.get("status") or "").strip().upper() == SUCCEEDED
        outcomes.append(Outcome(reference, succeeded, "", "" if succeeded else (row.get("reason") or "")))
    if errors:
        more = len(errors) - SHOWN_ERRORS
        text = " ".join(errors[:SHOWN_ERRORS]) + (_(" … dan %(n)d baris lain.") % {"n": more} if more > 0 else "")
        raise DomainError(_("Berkas hasil tidak diterapkan. %(errors)s") % {"errors": text}, code="result_file")
    if not outcomes:
        raise DomainError(_("Berkas hasil tidak berisi baris pembayaran."), code="result_file", field="file")
    return outcomes


def apply_result_file(batch: DisbursementBatch, upload: UploadedFile | bytes, actor: Any) -> Settlement:
    """Settles every line of the bank's result file for `batch`, all or none, and keeps the file."""
    raw = upload if isinstance(upload, bytes) else upload.read(MAX_BYTES + 1)
    outcomes = outcomes_of(batch, raw)
    with transaction.atomic():
        locked = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
        settlement = settle_many(outcomes, actor=actor)
        name = f"results/{locked.reference}-{timezone.now():%Y%m%d%H%M%S}.csv"
        locked.result_file.save(name, ContentFile(raw), save=False)
        DisbursementBatch.objects.filter(pk=locked.pk).update(result_file=locked.result_file.name)
        record_event(
            "claims.batch_result_applied",
            instance=locked,
            after={
                "lines": len(outcomes),
                "paid": settlement.paid,
                "failed": settlement.failed,
                "unchanged": settlement.unchanged,
                "claims_paid": settlement.claims_paid,
                "claims_returned": settlement.claims_returned,
            },
            actor=actor if getattr(actor, "pk", None) else None,
        )
    batch.refresh_from_db()
    return settlement
