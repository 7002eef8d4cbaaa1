"""The disbursement interface: how a batch of payments leaves the agency. Two real methods implement it - the
agency bank's bulk-transfer file (bank_file.py) and Xendit's Payouts API (xendit.py). A method is handed the
batch's unsettled disbursements; whatever it does, the idempotency key goes with each payment, so sending the
same batch again never pays twice. The result comes back later (a result file, a callback) through settle.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from jaminanku.claims.models import Disbursement, DisbursementBatch


class DisbursementMethod(Protocol):
    code: str  # a DisbursementBatch.Method value

    def available(self) -> bool:
        """Whether this method can be used here (configured)."""
        ...

    def send(self, batch: DisbursementBatch, disbursements: Sequence[Disbursement]) -> dict[int, str]:
        """Hands the payments over; returns the provider's reference per disbursement id (empty when the
        provider gives none yet). Raises DomainError when the provider cannot be reached: nothing is lost, the
        batch can be sent again with the same keys."""
        ...
