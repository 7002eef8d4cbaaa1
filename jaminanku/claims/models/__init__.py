"""Models of the claims app, split by concept: the claim as a case, its documents, and its payments."""

from jaminanku.claims.models.claim import ClaimEvent, ClaimHeir, JhtClaim, PayoutAccount
from jaminanku.claims.models.documents import ClaimDocument, claims_storage
from jaminanku.claims.models.payouts import Disbursement, DisbursementBatch

__all__ = [
    "ClaimDocument",
    "ClaimEvent",
    "ClaimHeir",
    "Disbursement",
    "DisbursementBatch",
    "JhtClaim",
    "PayoutAccount",
    "claims_storage",
]
