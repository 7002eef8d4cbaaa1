"""Paying approved claims in batches. `create_batch` takes the APPROVED claims (all, or the ones given), makes one
disbursement per payee - the member, or each heir of a death claim for their share - moves the claims to PAYING
and hands the batch to its method (bank file or payout API). Each payment's idempotency key is
"<claim reference>-<payee>-<attempt>": stable while that payment is alive, new after a failed one, so a batch sent
again never pays twice and a corrected account is paid by a new payment."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jaminanku.audit.services import record_event
from jaminanku.claims.models import ClaimHeir, Disbursement, DisbursementBatch, JhtClaim
from jaminanku.claims.payouts.bank_file import BankFileMethod
from jaminanku.claims.payouts.methods import DisbursementMethod
from jaminanku.claims.payouts.moves import move_many
from jaminanku.claims.payouts.rows import update_varying
from jaminanku.claims.payouts.xendit import XenditMethod
from jaminanku.claims.references import ALPHABET
from jaminanku.core.bulk import AnyOf, insert_rows
from jaminanku.core.errors import DomainError

METHODS: dict[str, DisbursementMethod] = {m.code: m for m in (BankFileMethod(), XenditMethod())}
PAYMENT_COLUMNS = (
    "claim_id",
    "heir_id",
    "payee_key",
    "batch_id",
    "idempotency_key",
    "amount",
    "bank_code",
    "account_number",
    "account_holder",
    "status",
    "provider_reference",
    "failure_reason",
    "created_at",
)


def available_methods() -> list[str]:
    return [code for code, method in METHODS.items() if method.available()]


def method_for(code: str) -> DisbursementMethod:
    method = METHODS.get(code)
    if method is None or not method.available():
        raise DomainError(_("Cara pembayaran ini tidak tersedia."), code="payout_method", field="method")
    return method


@dataclass(frozen=True, slots=True)
class Payee:
    key: str  # "member" or "heir-<id>"
    heir_id: int | None
    bank_code: str
    account_number: str
    account_holder: str
    amount: int


def payees_of(claim: JhtClaim, heirs: Sequence[ClaimHeir]) -> list[Payee]:
    """Who receives the net: the member, or each heir their share (rounded down, the last heir taking the
    remainder, so the shares add up to the net to the rupiah)."""
    net = claim.net
    if not heirs:
        if claim.ground == JhtClaim.Ground.DEATH:
            raise DomainError(
                _("Klaim %(ref)s belum mencatat ahli waris.") % {"ref": claim.reference}, code="heirs_missing"
            )
        return [Payee("member", None, claim.bank_code, claim.account_number, claim.account_holder, net)]
    if sum((heir.share_percent for heir in heirs), Decimal(0)) != 100:
        raise DomainError(
            _("Bagian ahli waris klaim %(ref)s tidak berjumlah 100%%.") % {"ref": claim.reference},
            code="heir_shares",
        )
    payees, paid = [], 0
    for n, heir in enumerate(heirs):
        last = n == len(heirs) - 1
        amount = net - paid if last else int((Decimal(net) * heir.share_percent / 100).to_integral_value(ROUND_DOWN))
        paid += amount
        payees.append(
            Payee(f"heir-{heir.pk}", heir.pk, heir.bank_code, heir.account_number, heir.account_holder, amount)
        )
    return payees


def _new_batch_reference() -> str:
    return f"PB{timezone.localdate():%y%m%d}" + "".join(secrets.choice(ALPHABET) for _ in range(6))


def _lock(claims: Sequence[JhtClaim] | None) -> list[JhtClaim]:
    if claims is None:
        return list(JhtClaim.objects.select_for_update().filter(state=JhtClaim.State.APPROVED).order_by("pk"))
    locked = list(JhtClaim.objects.select_for_update().filter(AnyOf(F("id"), [c.pk for c in claims])).order_by("pk"))
    waiting = [c.reference for c in locked if c.state != JhtClaim.State.APPROVED]
    if waiting:
        raise DomainError(
            _("Klaim berikut tidak menunggu pembayaran: %(refs)s.") % {"refs": ", ".join(waiting[:20])},
            code="claim_state",
        )
    return locked


def _disbursements(batch: DisbursementBatch, claims: Sequence[JhtClaim]) -> list[Disbursement]:
    """A payment for every payee of `claims` without a live one (an heir paid before a correction is not paid
    again); the attempt counts the payee's earlier payments, so a failed one is followed by a new key."""
    ids = [c.pk for c in claims]
    heirs: dict[int, list[ClaimHeir]] = defaultdict(list)
    for heir in ClaimHeir.objects.filter(AnyOf(F("claim_id"), ids)).order_by("claim_id", "pk"):
        heirs[heir.claim_id].append(heir)
    attempts: Counter[tuple[int, str]] = Counter()
    live = set()
    for claim_id, payee_key, status in Disbursement.objects.filter(AnyOf(F("claim_id"), ids)).values_list(
        "claim_id", "payee_key", "status"
    ):
        attempts[(claim_id, payee_key)] += 1
        if status in Disbursement.LIVE_STATUSES:
            live.add((claim_id, payee_key))
    rows = []
    for claim in claims:
        for payee in payees_of(claim, heirs[claim.pk]):
            if (claim.pk, payee.key) in live:
                continue
            if not (payee.bank_code and payee.account_number and payee.account_holder):
                raise DomainError(
                    _("Klaim %(ref)s belum mempunyai rekening tujuan.") % {"ref": claim.reference},
                    code="payout_account_missing",
                )
            attempt = attempts[(claim.pk, payee.key)] + 1
            rows.append(
                Disbursement(
                    claim=claim,
                    heir_id=payee.heir_id,
                    payee_key=payee.key,
                    batch=batch,
                    idempotency_key=f"{claim.reference}-{payee.key}-{attempt}",
                    amount=payee.amount,
                    bank_code=payee.bank_code,
                    account_number=payee.account_number,
                    account_holder=payee.account_holder,
                )
            )
    return rows


def create_batch(*, method: str, actor: Any, claims: Sequence[JhtClaim] | None = None) -> DisbursementBatch:
    """Pays the APPROVED claims (all of them, or `claims`) in a new batch through `method` (a
    DisbursementBatch.Method value). Claims, payments and their records are written in one transaction; the
    batch is then sent (a refused send leaves it ready to be sent again with `send_batch`)."""
    method_for(method)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        locked = _lock(claims)
        if not locked:
            raise DomainError(_("Tidak ada klaim yang menunggu pembayaran."), code="nothing_to_pay")
        now = timezone.now()
        batch = DisbursementBatch.objects.create(reference=_new_batch_reference(), method=method, created_by=user)
        rows = _disbursements(batch, locked)
        insert_rows(
            Disbursement._meta.db_table,
            PAYMENT_COLUMNS,
            ([getattr(row, column) for column in PAYMENT_COLUMNS[:-1]] + [now] for row in rows),
        )
        note = _("Dikirim untuk dibayar dalam batch %(batch)s.") % {"batch": batch.reference}
        move_many(locked, JhtClaim.State.PAYING, actor=actor, notes=dict.fromkeys((c.pk for c in locked), note))
        record_event(
            "claims.batch_created",
            instance=batch,
            after={
                "method": method,
                "claims": len(locked),
                "disbursements": len(rows),
                "total": sum(r.amount for r in rows),
            },
            actor=user,
        )
    return send_batch(batch, actor=actor)


def send_batch(batch: DisbursementBatch, *, actor: Any = None) -> DisbursementBatch:
    """Hands the batch's unsettled payments to its method, again if need be: the same idempotency keys go out,
    so a payment the provider already made is not made twice."""
    method = method_for(batch.method)
    waiting = list(
        batch.disbursements.filter(status__in=[Disbursement.Status.PENDING, Disbursement.Status.SENT]).order_by("pk")
    )
    try:
        references = method.send(batch, waiting)
    except DomainError as exc:
        _mark_sent(batch, exc.extra.get("sent", {}), actor)
        raise
    _mark_sent(batch, references, actor, everything=[d.pk for d in waiting])
    batch.refresh_from_db()
    return batch


def _mark_sent(
    batch: DisbursementBatch, references: dict[int, str], actor: Any, everything: Sequence[int] | None = None
) -> None:
    sent = list(everything if everything is not None else references)
    if not sent:
        return
    with transaction.atomic():
        # a callback may have settled a payment meanwhile: only pending ones become sent
        Disbursement.objects.filter(AnyOf(F("id"), sent), status=Disbursement.Status.PENDING).update(
            status=Disbursement.Status.SENT
        )
        named = [(pk, ref[:64]) for pk, ref in references.items() if ref]
        if named:
            update_varying(Disbursement, {}, ["provider_reference"], named)
        record_event(
            "claims.batch_sent",
            instance=batch,
            after={"disbursements": len(sent)},
            actor=actor if getattr(actor, "pk", None) else None,
        )
