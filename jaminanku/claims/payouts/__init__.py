"""Paying approved claims: batches through a disbursement method (the bank's bulk-transfer file or Xendit's
Payouts API), the payments' results, and the ledger posted only when the money has gone out."""

from jaminanku.claims.payouts.bank_file import sample_result_csv
from jaminanku.claims.payouts.batches import available_methods, create_batch, method_for, send_batch
from jaminanku.claims.payouts.results import apply_result_file
from jaminanku.claims.payouts.settle import Outcome, Settlement, settle_disbursement, settle_many

__all__ = [
    "Outcome",
    "Settlement",
    "apply_result_file",
    "available_methods",
    "create_batch",
    "method_for",
    "sample_result_csv",
    "send_batch",
    "settle_disbursement",
    "settle_many",
]
