"""The agency bank's bulk-transfer file: one CSV per batch, written into the private `claims` storage, that
finance staff download and upload to the bank's cash-management portal; the bank answers with a result file in
the same layout plus two columns (results.py reads it back).

Layout (UTF-8, comma-separated, one header line, then one line per payment):

    batch_reference,transfer_reference,bank_code,account_number,account_holder,amount,description

- batch_reference: the batch's number (DisbursementBatch.reference), the same on every line;
- transfer_reference: the payment's idempotency key - the bank refuses a reference it has already executed, so
  a file uploaded twice pays nothing twice;
- bank_code: the receiving bank's Bank Indonesia code (sandi bank, 3 digits);
- account_number, account_holder: the payee's account and the holder's name;
- amount: whole rupiah, digits only (the net: gross minus PPh 21);
- description: "JHT <claim reference>", what the payee's statement shows.

The result file adds `status` (BERHASIL or GAGAL) and `reason` (why it failed: the bank's words or a code such as
REKENING_DITUTUP or NOMOR_REKENING_SALAH)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.files.base import ContentFile

from jaminanku.claims.models import Disbursement, DisbursementBatch

COLUMNS = (
    "batch_reference",
    "transfer_reference",
    "bank_code",
    "account_number",
    "account_holder",
    "amount",
    "description",
)
RESULT_COLUMNS = (*COLUMNS, "status", "reason")
SUCCEEDED, FAILED = "BERHASIL", "GAGAL"


def _safe(text: str) -> str:
    # a spreadsheet opening the file must not run a holder's name as a formula (CSV injection)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def line_of(batch: DisbursementBatch, disbursement: Disbursement, reference: str) -> list[str]:
    return [
        batch.reference,
        disbursement.idempotency_key,
        disbursement.bank_code,
        disbursement.account_number,
        _safe(disbursement.account_holder),
        str(disbursement.amount),
        f"JHT {reference}",
    ]


def transfer_csv(batch: DisbursementBatch, disbursements: Sequence[Disbursement]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    references = dict(batch.disbursements.values_list("pk", "claim__reference"))
    for disbursement in disbursements:
        writer.writerow(line_of(batch, disbursement, references.get(disbursement.pk, "")))
    return out.getvalue().encode("utf-8")


def sample_result_csv(batch: DisbursementBatch) -> bytes:
    """The result file the bank would send if every payment went through: for `make run`, where no bank
    answers, staff upload it (or change a line to GAGAL to see a failed payment)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    for disbursement in batch.disbursements.select_related("claim").order_by("pk"):
        writer.writerow([*line_of(batch, disbursement, disbursement.claim.reference), SUCCEEDED, ""])
    return out.getvalue().encode("utf-8")


class BankFileMethod:
    """Writes the batch's transfer file; nothing leaves the building until staff upload it to the bank."""

    code: str = DisbursementBatch.Method.BANK_FILE.value

    def available(self) -> bool:
        return True

    def send(self, batch: DisbursementBatch, disbursements: Sequence[Disbursement]) -> dict[int, str]:
        every = list(batch.disbursements.order_by("pk"))  # the file always holds the whole batch
        if batch.transfer_file:
            batch.transfer_file.delete(save=False)
        batch.transfer_file.save(f"batches/{batch.reference}.csv", ContentFile(transfer_csv(batch, every)), save=False)
        DisbursementBatch.objects.filter(pk=batch.pk).update(transfer_file=batch.transfer_file.name)
        return {}
