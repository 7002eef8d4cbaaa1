"""The result of a payment, and only then the ledger. `settle_disbursement` (one payment: a callback) and
`settle_many` (a whole result file) record each payment's outcome under a row lock; a replay of the same outcome
changes nothing and a settled payment never changes its outcome. When every live payment of a claim is paid, the
claim's ledger entry (the gross, out of the member's JHT balance) and its withholding slip number are posted and
the claim moves PAYING → PAID, in the same transaction. A failed payment sends the claim back to the member
(PAYING → RETURNED) with the reason in their words, nothing posted; once they correct the account the next batch
pays it with a new key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jaminanku.claims.models import Disbursement, DisbursementBatch, JhtClaim
from jaminanku.claims.payouts.failures import member_words
from jaminanku.claims.payouts.moves import move_many
from jaminanku.claims.payouts.rows import update_grouped
from jaminanku.contributions.ledger import ClaimLine, post_jht_claims
from jaminanku.core.bulk import AnyOf
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.core.money import format_rupiah

Status = Disbursement.Status


@dataclass(frozen=True, slots=True)
class Outcome:
    idempotency_key: str
    succeeded: bool
    provider_reference: str = ""
    failure_reason: str = ""


@dataclass(frozen=True, slots=True)
class Settlement:
    paid: int  # payments newly paid
    failed: int  # payments newly failed
    unchanged: int  # replays
    claims_paid: int
    claims_returned: int


def tax_slip_number(claim: JhtClaim, paid_on: date) -> str:
    """The withholding slip's number (bukti potong PPh 21 final): the month paid and the claim's id, unique
    because the id is."""
    return f"BP21F-{paid_on:%Y%m}-{claim.pk:07d}"


def settle_disbursement(
    *,
    idempotency_key: str,
    succeeded: bool,
    provider_reference: str = "",
    failure_reason: str = "",
    actor: Any = None,
) -> Disbursement:
    outcome = Outcome(idempotency_key, succeeded, provider_reference, failure_reason)
    settle_many([outcome], actor=actor)
    return Disbursement.objects.get(idempotency_key=idempotency_key)


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code)


def _record_outcomes(outcomes: Sequence[Outcome], now: Any) -> tuple[list[Disbursement], int]:
    keys = [o.idempotency_key for o in outcomes]
    if len(set(keys)) != len(keys):
        raise _refuse(_("Satu pembayaran disebut dua kali."), "duplicate_outcome")
    rows = {
        d.idempotency_key: d
        for d in Disbursement.objects.select_for_update().filter(AnyOf(F("idempotency_key"), keys)).order_by("pk")
    }
    changed, unchanged = [], 0
    for outcome in outcomes:
        disbursement = rows.get(outcome.idempotency_key)
        if disbursement is None:
            raise NotFound(
                _("Pembayaran %(key)s tidak dikenal.") % {"key": outcome.idempotency_key},
                code="unknown_disbursement",
            )
        status = Status.PAID if outcome.succeeded else Status.FAILED
        if disbursement.status == status:
            unchanged += 1
            continue
        if disbursement.status in (Status.PAID, Status.FAILED):
            raise _refuse(
                _("Pembayaran %(key)s sudah tercatat %(status)s; hasilnya tidak dapat diubah.")
                % {"key": disbursement.idempotency_key, "status": disbursement.get_status_display()},
                "disbursement_settled",
            )
        disbursement.status = status
        disbursement.settled_at = now
        disbursement.provider_reference = (outcome.provider_reference or disbursement.provider_reference)[:64]
        disbursement.failure_reason = "" if outcome.succeeded else member_words(outcome.failure_reason)[:255]
        changed.append(disbursement)
    fields = ("status", "settled_at", "provider_reference", "failure_reason")
    update_grouped(Disbursement, [(d.pk, {f: getattr(d, f) for f in fields}) for d in changed])
    return changed, unchanged


def _pay(claims: Sequence[JhtClaim], paid_on: date, actor: Any) -> None:
    """Posts the claims' ledger entries (the gross out of the balance) and moves them to PAID with their
    entry, date and slip number."""
    lines = [
        ClaimLine(membership_id=c.membership_id, amount=c.gross, paid_on=paid_on, reason=f"Klaim JHT {c.reference}")
        for c in claims
    ]
    entries = post_jht_claims(claims=lines)
    fields, notes = {}, {}
    for claim, entry in zip(claims, entries, strict=True):
        number = tax_slip_number(claim, paid_on)
        fields[claim.pk] = {"entry": entry, "paid_on": paid_on, "tax_slip_number": number}
        notes[claim.pk] = _("Dana %(net)s telah ditransfer. Bukti potong PPh 21 nomor %(slip)s.") % {
            "net": format_rupiah(claim.net),
            "slip": number,
        }
    move_many(claims, JhtClaim.State.PAID, actor=actor, notes=notes, fields=fields)


def _return(claims: Sequence[JhtClaim], reasons: dict[int, str], actor: Any) -> None:
    notes = {
        c.pk: _("Transfer gagal: %(reason)s. Perbaiki data rekening Anda, lalu klaim dibayar kembali.")
        % {"reason": reasons[c.pk]}
        for c in claims
    }
    move_many(claims, JhtClaim.State.RETURNED, actor=actor, notes=notes)


def _close_batches(batch_ids: set[int], now: Any) -> None:
    open_payments = Disbursement.objects.filter(batch_id=OuterRef("pk"), status__in=[Status.PENDING, Status.SENT])
    DisbursementBatch.objects.filter(AnyOf(F("id"), sorted(batch_ids)), state=DisbursementBatch.State.SENT).exclude(
        Exists(open_payments)
    ).update(state=DisbursementBatch.State.SETTLED, settled_at=now)


def settle_many(outcomes: Sequence[Outcome], *, actor: Any = None, paid_on: date | None = None) -> Settlement:
    """Records `outcomes`, all or none, and pays or returns the claims they complete."""
    now = timezone.now()
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic():
        changed, unchanged = _record_outcomes(outcomes, now)
        if not changed:
            return Settlement(0, 0, unchanged, 0, 0)
        claim_ids = sorted({d.claim_id for d in changed})
        claims = list(JhtClaim.objects.select_for_update().filter(AnyOf(F("id"), claim_ids)).order_by("pk"))
        reasons = {d.claim_id: d.failure_reason for d in changed if d.status == Status.FAILED}
        unpaid = set(
            Disbursement.objects.filter(
                AnyOf(F("claim_id"), claim_ids), status__in=[Status.PENDING, Status.SENT]
            ).values_list("claim_id", flat=True)
        )
        paying = [c for c in claims if c.state == JhtClaim.State.PAYING]
        returning = [c for c in paying if c.pk in reasons]
        complete = [c for c in paying if c.pk not in reasons and c.pk not in unpaid]
        _pay(complete, paid_on, actor)
        _return(returning, reasons, actor)
        _close_batches({d.batch_id for d in changed if d.batch_id}, now)
        failed = sum(1 for d in changed if d.status == Status.FAILED)
        return Settlement(len(changed) - failed, failed, unchanged, len(complete), len(returning))
