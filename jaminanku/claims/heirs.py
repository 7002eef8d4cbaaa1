"""The heirs of a death claim (FACTS.md §6.1: widow or widower and children, then other relatives or a person
named in a will or an heir certificate): each with their NIK, relation, share and own bank account. The shares add
up to exactly 100 %; the payment later pays each heir their share of the net."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jaminanku.audit.services import record_event
from jaminanku.claims.banks import check_bank, clean_account_number
from jaminanku.claims.models import ClaimHeir, Disbursement, JhtClaim
from jaminanku.claims.transitions import move
from jaminanku.core.errors import DomainError
from jaminanku.registry.nik import check_nik

State = JhtClaim.State
# Heirs are recorded with the claim and may be corrected until someone has approved it.
EDITABLE_STATES = (State.DRAFT, State.SUBMITTED, State.IN_REVIEW)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _share(raw: Any, number: int) -> Decimal:
    try:
        share = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        share = Decimal("NaN")
    if not share.is_finite() or share <= 0 or share > HUNDRED or share.quantize(CENT, ROUND_DOWN) != share:
        raise DomainError(
            _("Ahli waris %(n)s: bagian harus antara 0,01 dan 100 persen (paling banyak dua desimal).") % {"n": number},
            code="heir_share",
            field="heirs",
        )
    return share


def _text(raw: Any, number: int, label: str, max_length: int) -> str:
    value = " ".join(str(raw or "").split())
    if not value or len(value) > max_length:
        raise DomainError(
            _("Ahli waris %(n)s: isi %(what)s (paling banyak %(max)s huruf).")
            % {"n": number, "what": label, "max": max_length},
            code="heir_incomplete",
            field="heirs",
        )
    return value


def _heir(raw: dict[str, Any], number: int) -> ClaimHeir:
    nik = check_nik(str(raw.get("nik") or ""))
    if not nik.valid:
        raise DomainError(
            _("Ahli waris %(n)s: %(error)s") % {"n": number, "error": nik.errors[0]}, code="heir_nik", field="heirs"
        )
    relation = str(raw.get("relation") or "")
    if relation not in ClaimHeir.Relation.values:
        raise DomainError(
            _("Ahli waris %(n)s: pilih hubungan dengan peserta.") % {"n": number}, code="heir_relation", field="heirs"
        )
    try:
        bank_code = check_bank(str(raw.get("bank_code") or ""))
        account_number = clean_account_number(str(raw.get("account_number") or ""))
    except DomainError as exc:
        raise DomainError(
            _("Ahli waris %(n)s: %(error)s") % {"n": number, "error": exc.message}, code=exc.code, field="heirs"
        ) from exc
    return ClaimHeir(
        nik=nik.nik,
        name=_text(raw.get("name"), number, _("nama"), 120),
        relation=relation,
        share_percent=_share(raw.get("share_percent"), number),
        bank_code=bank_code,
        account_number=account_number,
        account_holder=_text(raw.get("account_holder"), number, _("nama pemilik rekening"), 120),
    )


def check_heirs(heirs: list[dict[str, Any]]) -> list[ClaimHeir]:
    """The heirs as unsaved rows, or a DomainError a branch officer can act on: each heir complete and valid,
    no NIK twice, the shares adding up to exactly 100 %."""
    if not heirs:
        raise DomainError(_("Catat sedikitnya satu ahli waris."), code="heirs_missing", field="heirs")
    rows = [_heir(raw, number) for number, raw in enumerate(heirs, start=1)]
    niks = [row.nik for row in rows]
    if len(set(niks)) != len(niks):
        raise DomainError(_("Satu NIK tercatat dua kali sebagai ahli waris."), code="heir_twice", field="heirs")
    total = sum((row.share_percent for row in rows), Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            _("Jumlah bagian ahli waris harus tepat 100%%, sekarang %(total)s%%.") % {"total": f"{total:g}"},
            code="heir_shares_total",
            field="heirs",
        )
    return rows


def set_heirs(*, claim: JhtClaim, heirs: list[dict[str, Any]], officer: Any) -> list[ClaimHeir]:
    """Records the heirs of a death claim, replacing any recorded before. Each dict has nik, name, relation
    (ClaimHeir.Relation), share_percent, bank_code, account_number and account_holder."""
    rows = check_heirs(heirs)
    with transaction.atomic():
        locked = JhtClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.ground != JhtClaim.Ground.DEATH:
            raise DomainError(
                _("Ahli waris hanya dicatat untuk klaim karena peserta meninggal dunia."),
                code="heirs_not_death",
                field="heirs",
            )
        if locked.state not in EDITABLE_STATES or locked.approved_by_id is not None:
            raise DomainError(
                _("Ahli waris tidak dapat diubah lagi setelah klaim disetujui."), code="heirs_locked", field="heirs"
            )
        before = [_describe(h) for h in locked.heirs.all()]
        locked.heirs.all().delete()
        for row in rows:
            row.claim = locked
        ClaimHeir.objects.bulk_create(rows)
        record_event(
            "claims.heirs_set",
            instance=locked,
            before={"heirs": before},
            after={"heirs": [_describe(h) for h in rows]},
            actor=officer,
        )
    return rows


def failed_heir_payments(claim: JhtClaim) -> dict[int, Disbursement]:
    """Each heir of `claim` whose last payment failed and who has no live one, with that failed payment."""
    last: dict[int, Disbursement] = {}
    for payment in claim.disbursements.filter(heir__isnull=False).order_by("pk"):
        last[payment.heir_id] = payment  # type: ignore[index]
    return {heir_id: p for heir_id, p in last.items() if p.status == Disbursement.Status.FAILED}


def correct_heir_account(
    *, claim: JhtClaim, heir_id: int, bank_code: str, account_number: str, account_holder: str, officer: Any
) -> JhtClaim:
    """After an heir's payment failed (the claim is RETURNED): the branch records that heir's new account, as the
    heirs filed the claim there. Once no other heir still waits for a new account, the claim is approved for
    payment again (RETURNED → APPROVED) and the next batch pays only the heirs not paid yet, each with a new key."""
    with transaction.atomic():
        locked = JhtClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.state != State.RETURNED:
            raise DomainError(
                _("Rekening ahli waris hanya dapat diperbaiki setelah pembayarannya gagal."),
                code="claim_state",
                field="heir",
            )
        failed = failed_heir_payments(locked)
        heir = locked.heirs.filter(pk=heir_id).first()
        if heir is None or heir.pk not in failed:
            raise DomainError(_("Pilih ahli waris yang pembayarannya gagal."), code="heir_not_failed", field="heir")
        try:
            new_bank = check_bank(str(bank_code or ""))
            new_number = clean_account_number(str(account_number or ""))
        except DomainError as exc:
            raise DomainError(exc.message, code=exc.code, field=exc.field or "account_number") from exc
        holder = " ".join(str(account_holder or "").split())
        if not holder or len(holder) > 120:
            raise DomainError(
                _("Isi nama pemilik rekening (paling banyak 120 huruf)."),
                code="heir_incomplete",
                field="account_holder",
            )
        before = _describe(heir)
        heir.bank_code, heir.account_number, heir.account_holder = new_bank, new_number, holder
        heir.save(update_fields=["bank_code", "account_number", "account_holder"])
        record_event(
            "claims.heir_account_corrected",
            instance=locked,
            before={"heir": before},
            after={"heir": _describe(heir)},
            actor=officer,
        )
        waiting = [
            h.name
            for h in locked.heirs.filter(pk__in=[pk for pk in failed if pk != heir.pk])
            if (h.bank_code, h.account_number) == (failed[h.pk].bank_code, failed[h.pk].account_number)
        ]
        if not waiting:
            move(
                locked,
                State.APPROVED,
                actor=officer,
                note=_("Rekening ahli waris %(name)s diperbaiki; pembayarannya diulang.") % {"name": heir.name},
                action_label="claims.approved_after_correction",
            )
    claim.refresh_from_db()
    return claim


def _describe(heir: ClaimHeir) -> dict[str, str]:
    # The audit keeps who gets what and where, with the account shortened as on the pages.
    return {
        "nik": heir.nik,
        "name": heir.name,
        "relation": heir.relation,
        "share_percent": str(heir.share_percent),
        "bank": f"{heir.bank_code} …{heir.account_number[-4:]}",
    }
