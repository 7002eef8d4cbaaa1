"""The member's own claim, online (web pages and API call these): start a draft from the eligibility answer,
attach documents, submit with a declaration - then the automatic decision (decision.py) approves it or sends it
to an officer - withdraw before a decision, and give a new account after a failed payment."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.claims import decision, documents, sla
from jaminanku.claims.eligibility import ClaimOption
from jaminanku.claims.models import ClaimDocument, Disbursement, JhtClaim
from jaminanku.claims.payout_accounts import set_payout_account
from jaminanku.claims.references import new_reference
from jaminanku.claims.requirements import check_present
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.transitions import move, record_start
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.offices.selectors import serving_office
from jaminanku.registry.models import Membership, Person

State = JhtClaim.State
MAX_DOCUMENTS = 20  # per claim: room for every kind twice over, not for filling the storage


class OpenClaimExists(DomainError):
    status = 409
    code = "open_claim_exists"


def _open_claim_exists() -> OpenClaimExists:
    return OpenClaimExists(
        _("Anda masih memiliki klaim JHT yang sedang berjalan. Selesaikan atau batalkan klaim itu dahulu.")
    )


def _option_for(membership: Membership, kind: str) -> ClaimOption:
    answer = eligibility_for(membership)
    option = answer.option(kind)
    if option is None:
        raise DomainError(
            " ".join(answer.reasons) or _("Klaim ini belum dapat diajukan."), code="not_eligible", field="kind"
        )
    return option


def start_claim(
    *, person: Person, membership: Membership, kind: str, channel: str = "online", actor: Any = "peserta"
) -> JhtClaim:
    """A draft claim of `kind` on `membership` (one of `person`'s KPJs), amounts and ground from eligibility."""
    if membership.person_id != person.pk:
        raise NotFound(_("Nomor KPJ tidak ditemukan."), code="kpj_not_found")
    if channel not in JhtClaim.Channel.values:
        raise DomainError(_("Saluran klaim tidak dikenal."), code="channel", field="channel")
    option = _option_for(membership, kind)
    if channel not in option.channels:
        raise DomainError(
            _("Klaim dengan alasan ini diajukan di kantor cabang, dengan dokumen asli."),
            code="branch_only",
            field="kind",
        )
    if JhtClaim.objects.filter(person=person, state__in=JhtClaim.OPEN_STATES).exists():
        raise _open_claim_exists()
    try:
        with transaction.atomic():
            claim = JhtClaim.objects.create(
                reference=new_reference(),
                person=person,
                membership=membership,
                kind=kind,
                ground=option.ground,
                channel=channel,
                state=State.DRAFT,
                office=serving_office(person),
                gross=option.gross,
                tax=option.tax,
            )
            record_start(claim, actor=actor)
    except IntegrityError as exc:  # another start for the same member won the race (one_open_claim_per_person)
        raise _open_claim_exists() from exc
    return claim


def _draft(claim: JhtClaim) -> None:
    if claim.state != State.DRAFT:
        raise DomainError(_("Dokumen hanya dapat diubah sebelum klaim diajukan."), code="claim_state", field="document")


def add_document(*, claim: JhtClaim, kind: str, upload: UploadedFile, actor: Any = None) -> ClaimDocument:
    _draft(claim)
    if claim.documents.count() >= MAX_DOCUMENTS:
        raise DomainError(_("Terlalu banyak dokumen untuk satu klaim."), code="too_many_documents", field="file")
    with transaction.atomic():
        document = documents.store_document(claim=claim, kind=kind, upload=upload, actor=actor)
        record_event("claims.document_added", instance=document, before={}, after=_document_facts(document))
    return document


def _document_facts(document: ClaimDocument) -> dict[str, object]:
    # what the audit keeps of a document: never its content, nor the member's file name
    return {"claim": document.claim.reference, "kind": document.kind, "token": document.token, "size": document.size}


def remove_document(*, claim: JhtClaim, document_token: str) -> None:
    _draft(claim)
    with transaction.atomic():
        document = claim.documents.filter(token=document_token).first()
        if document is None:
            raise NotFound(_("Dokumen tidak ditemukan."), code="document_not_found")
        record_event("claims.document_removed", instance=document, before=_document_facts(document), after={})
        documents.delete_document(document)


def missing_documents(claim: JhtClaim) -> list[str]:
    present = set(claim.documents.values_list("kind", flat=True))
    return [kind for kind in documents.required_kinds(claim.ground, claim.kind) if kind not in present]


def _check_ready(claim: JhtClaim, declaration: bool) -> Any:
    if not declaration:
        raise DomainError(
            _("Centang pernyataan bahwa data yang Anda berikan benar."),
            code="declaration_required",
            field="declaration",
        )
    present = claim.documents.values_list("kind", flat=True)
    check_present(claim.ground, claim.kind, present, str(_("Dokumen belum lengkap: %(labels)s.")))
    account = getattr(claim.person, "payout_account", None)
    if account is None:
        raise DomainError(
            _("Isi rekening bank untuk pembayaran klaim."), code="payout_account_missing", field="bank_code"
        )
    return account


def submit_claim(*, claim: JhtClaim, declaration: bool, actor: Any = "peserta") -> JhtClaim:
    """Submits a draft: documents, payout account and declaration checked, amounts taken again from today's
    eligibility, the service-level date set; then decided (decision.py) in the same transaction."""
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = JhtClaim.objects.select_for_update().select_related("person").get(pk=claim.pk)
            if locked.state != State.DRAFT:
                raise DomainError(_("Klaim ini sudah diajukan."), code="claim_state")
            account = _check_ready(locked, declaration)
            option = _option_for(locked.membership, locked.kind)
            fields = {
                "gross": option.gross,
                "tax": option.tax,
                "bank_code": account.bank_code,
                "account_number": account.account_number,
                "account_holder": account.account_holder,
                "holder_name_score": account.holder_name_score,
                "declared_at": now,
                "submitted_at": now,
                "due_on": sla.due_on(timezone.localdate(now), option.gross),
            }
            move(locked, State.SUBMITTED, actor=actor, fields=fields)
            outcome = decision.decide(locked)
            verdict = outcome.as_json()
            if outcome.approved:
                move(
                    locked,
                    State.APPROVED,
                    actor=None,
                    fields={"auto_decision": verdict, "decided_at": timezone.now()},
                    note=str(_("Disetujui otomatis: semua pemeriksaan terpenuhi.")),
                    action_label="claims.auto_approved",
                )
            else:
                move(
                    locked,
                    State.IN_REVIEW,
                    actor=None,
                    fields={"auto_decision": verdict},
                    note=str(_("Klaim Anda diperiksa petugas.")),
                    action_label="claims.sent_to_review",
                )
    except IntegrityError as exc:  # one_partial_claim_per_person: another partial claim got there first
        raise DomainError(_("Klaim sebagian hanya dapat diambil satu kali."), code="partial_already_claimed") from exc
    claim.refresh_from_db()
    return claim


def withdraw_claim(*, claim: JhtClaim, actor: Any = "peserta") -> JhtClaim:
    """The member takes back a claim not yet decided (or one whose payment failed, as long as nothing of it was
    paid: once an heir has received their share the claim must be completed, not withdrawn)."""
    with transaction.atomic():
        locked = JhtClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.state == State.RETURNED and locked.disbursements.filter(status=Disbursement.Status.PAID).exists():
            raise DomainError(
                _(
                    "Sebagian dana klaim ini sudah ditransfer, jadi klaim tidak dapat dibatalkan. "
                    "Perbaiki rekening yang gagal agar sisanya dibayar."
                ),
                code="partly_paid",
            )
        move(locked, State.WITHDRAWN, actor=actor, note=str(_("Dibatalkan atas permintaan peserta.")))
    claim.refresh_from_db()
    return claim


def correct_account(*, claim: JhtClaim, bank_code: str, account_number: str, account_holder: str) -> JhtClaim:
    """After a failed payment: the member's new account goes onto the claim and becomes their payout account,
    and the claim is approved for payment again. As no officer looks at it again, the holder name must match the
    registry name; otherwise the member withdraws and submits anew, which an officer then checks."""
    with transaction.atomic():
        locked = JhtClaim.objects.select_for_update().select_related("person").get(pk=claim.pk)
        if locked.state != State.RETURNED:
            raise DomainError(
                _("Rekening hanya dapat diperbaiki setelah pembayaran gagal."), code="claim_state", field="bank_code"
            )
        if locked.ground == JhtClaim.Ground.DEATH:  # paid to the heirs' accounts, which the branch corrects
            raise DomainError(
                _("Rekening ahli waris diperbaiki di kantor cabang yang menerima klaim ini."),
                code="heirs_at_branch",
                field="bank_code",
            )
        account = set_payout_account(
            person=locked.person, bank_code=bank_code, account_number=account_number, account_holder=account_holder
        )
        if account.holder_name_score < decision.HOLDER_NAME_MATCH:
            raise DomainError(
                _("Nama pemilik rekening harus sesuai dengan nama Anda pada data kepesertaan."),
                code="holder_name_mismatch",
                field="account_holder",
            )
        move(
            locked,
            State.APPROVED,
            actor="peserta",
            fields={
                "bank_code": account.bank_code,
                "account_number": account.account_number,
                "account_holder": account.account_holder,
                "holder_name_score": account.holder_name_score,
            },
            note=str(_("Rekening diperbaiki oleh peserta; pembayaran diulang.")),
            action_label="claims.account_corrected",
        )
    claim.refresh_from_db()
    return claim
