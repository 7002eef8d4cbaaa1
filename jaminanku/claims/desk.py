"""The claim desk's decisions (RULES.md "JHT claims", decision): a branch officer takes a claim into review,
approves it or rejects it with a reason the member understands, and files claims at the counter. Four eyes: nobody
approves a claim they prepared, and above CLAIMS_FOUR_EYES_THRESHOLD an officer's approval is followed by a
supervisor's (someone else again) before the claim is approved. Every step goes through transitions.move."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaminanku.claims import sla
from jaminanku.claims.desk_selectors import is_supervisor, office_today
from jaminanku.claims.documents import store_document
from jaminanku.claims.eligibility import ClaimOption
from jaminanku.claims.heirs import check_heirs, set_heirs
from jaminanku.claims.models import ClaimDocument, JhtClaim, PayoutAccount
from jaminanku.claims.payout_accounts import holder_name_score, set_payout_account
from jaminanku.claims.references import new_reference
from jaminanku.claims.requirements import check_present
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.transitions import move, record_start
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership, Person
from jaminanku.staff.roles import branch_of

State = JhtClaim.State
DECIDABLE = (State.SUBMITTED, State.IN_REVIEW)


def _check_branch(claim: JhtClaim, officer: Any) -> None:
    """An officer acts on their own branch's claims only; another branch's claim is 'not found' to them."""
    scope = branch_of(officer)
    if scope is not None and claim.office_id != scope:
        raise NotFound(_("Klaim tidak ditemukan."), code="claim_not_found")


def _locked(claim: JhtClaim, officer: Any) -> JhtClaim:
    locked = JhtClaim.objects.select_for_update().get(pk=claim.pk)
    _check_branch(locked, officer)
    return locked


def _check_decidable(claim: JhtClaim) -> None:
    if claim.state not in DECIDABLE:
        raise DomainError(
            _("Klaim %(ref)s berstatus “%(state)s” dan tidak menunggu keputusan.")
            % {"ref": claim.reference, "state": claim.get_state_display()},
            code="claim_state",
        )


def take_for_review(*, claim: JhtClaim, officer: Any) -> JhtClaim:
    """An officer starts checking a submitted claim (the member sees that a person is looking at it)."""
    with transaction.atomic():
        locked = _locked(claim, officer)
        if locked.state == State.IN_REVIEW:
            return locked
        if locked.state != State.SUBMITTED:
            _check_decidable(locked)
        return move(locked, State.IN_REVIEW, actor=officer, action_label="claims.taken_for_review")


def approve_claim(*, claim: JhtClaim, officer: Any, note: str = "") -> JhtClaim:
    """Approves `claim` as `officer`. At or below the four-eyes threshold one approval decides; above it the first
    approval is recorded (approved_by) and the claim waits in review for a supervisor, whose approval
    (second_approved_by) decides. Nobody approves a claim they prepared, nor approves it twice."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked(claim, officer)
        _check_decidable(locked)
        if locked.prepared_by_id is not None and locked.prepared_by_id == officer.pk:
            raise DomainError(_("Anda menyiapkan klaim ini; klaim harus disetujui petugas lain."), code="own_claim")
        if not sla.needs_second_approval(locked.gross):
            return _approved(locked, officer, note, "approved_by", "claims.approved")
        if locked.approved_by_id is None:
            return move(
                locked,
                State.IN_REVIEW,
                actor=officer,
                note=note or _("Disetujui petugas; menunggu persetujuan supervisor."),
                fields={"approved_by": officer},
                action_label="claims.first_approval",
            )
        if locked.approved_by_id == officer.pk:
            raise DomainError(
                _("Anda sudah menyetujui klaim ini; persetujuan kedua harus oleh supervisor lain."),
                code="same_approver",
            )
        if not is_supervisor(officer):
            raise DomainError(
                _("Klaim di atas batas empat mata harus disetujui oleh supervisor."), code="supervisor_required"
            )
        return _approved(locked, officer, note, "second_approved_by", "claims.second_approval")


def _approved(claim: JhtClaim, officer: Any, note: str, approver: str, label: str) -> JhtClaim:
    """The approval that decides: `officer` recorded as `approver` (approved_by or second_approved_by)."""
    return move(
        claim,
        State.APPROVED,
        actor=officer,
        note=note,
        fields={approver: officer, "decided_at": timezone.now()},
        action_label=label,
    )


def reject_claim(*, claim: JhtClaim, officer: Any, reason: str) -> JhtClaim:
    """Rejects `claim` with `reason`, which the member reads in the notice and on the tracking page: say what is
    missing or wrong and what they can do."""
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise DomainError(
            _("Tuliskan alasan penolakan yang dapat dipahami peserta (sedikitnya 10 huruf)."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        locked = _locked(claim, officer)
        _check_decidable(locked)
        return move(
            locked,
            State.REJECTED,
            actor=officer,
            note=reason,
            fields={"rejection_reason": reason, "decided_at": timezone.now()},
            action_label="claims.rejected",
        )


def _payout(person: Person, bank: dict[str, str] | None) -> dict[str, Any]:
    """The claim's account fields: the one given at the counter (kept as the member's payout account too, with
    the change notice that brings), else the member's kept account."""
    if bank:
        account = set_payout_account(
            person=person,
            bank_code=str(bank.get("bank_code") or ""),
            account_number=str(bank.get("account_number") or ""),
            account_holder=str(bank.get("account_holder") or ""),
        )
    else:
        account = PayoutAccount.objects.filter(person=person).first()  # type: ignore[assignment]
        if account is None:
            raise DomainError(_("Isi rekening bank peserta."), code="account_missing", field="bank_code")
    return {
        "bank_code": account.bank_code,
        "account_number": account.account_number,
        "account_holder": account.account_holder,
        "holder_name_score": holder_name_score(account.account_holder, person.full_name),
    }


def _branch_option(*, person: Person, membership: Membership, kind: str, officer: Any, office: Office) -> ClaimOption:
    """The eligibility option a counter claim of `kind` pays, once the officer may file it at `office`."""
    scope = branch_of(officer)
    if scope is not None and scope != office.pk:
        raise NotFound(_("Kantor ini bukan kantor Anda."), code="office_not_yours")
    if membership.person_id != person.pk:
        raise DomainError(_("KPJ ini bukan milik peserta."), code="membership_mismatch", field="membership")
    answer = eligibility_for(membership)
    option = answer.option(kind)
    if option is None or "branch" not in option.channels:
        raise DomainError(
            " ".join(answer.reasons) or _("Jenis klaim ini belum dapat diajukan untuk KPJ ini."),
            code="not_eligible",
            field="kind",
        )
    return option


def _new_draft(*, membership: Membership, option: ClaimOption, officer: Any, office: Office, **fields: Any) -> JhtClaim:
    try:
        with transaction.atomic():
            return JhtClaim.objects.create(
                reference=new_reference(),
                person=membership.person,
                membership=membership,
                kind=option.kind,
                ground=option.ground,
                channel=JhtClaim.Channel.BRANCH,
                state=State.DRAFT,
                office=office,
                gross=option.gross,
                tax=option.tax,
                prepared_by=officer,
                auto_decision={
                    "approved": False,
                    "reasons": [
                        {"code": "branch", "text": _("Klaim di kantor cabang selalu diputuskan oleh petugas.")}
                    ],
                },
                **fields,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Peserta masih punya klaim yang sedang berjalan; selesaikan atau batalkan dulu klaim itu."),
            code="open_claim_exists",
        ) from exc


def open_branch_claim(
    *,
    person: Person,
    membership: Membership,
    kind: str,
    officer: Any,
    office: Office,
    booking_code: str = "",
    heirs: list[dict[str, Any]] | None = None,
    bank: dict[str, str] | None = None,
    documents: Sequence[tuple[str, UploadedFile]] = (),
) -> JhtClaim:
    """Files a claim at the counter for `person` (present, or their heirs for a death claim): the eligibility
    option of `kind` decides gross, tax and ground; the documents scanned at the counter (ClaimDocument kind,
    file) must include those the ground needs; a death claim records its heirs, any other the member's account.
    The claim is submitted and taken into review at once: a counter claim is always decided by a person, and never
    by the officer who prepared it (approve_claim)."""
    option = _branch_option(person=person, membership=membership, kind=kind, officer=officer, office=office)
    death = option.ground == JhtClaim.Ground.DEATH
    if heirs and not death:
        raise DomainError(
            _("Ahli waris hanya dicatat untuk klaim karena peserta meninggal dunia."), code="heirs_not_death"
        )
    if death:
        check_heirs(heirs or [])  # refuse before anything is written or stored
    scanned = [doc_kind for doc_kind, _upload in documents]
    check_present(option.ground, kind, scanned, _("Pindai dokumen yang belum ada: %(labels)s."))
    with transaction.atomic():
        account = {} if death else _payout(person, bank)
        claim = _new_draft(
            membership=membership,
            option=option,
            officer=officer,
            office=office,
            booking_code=(booking_code or "")[:12],
            **account,
        )
        record_start(claim, actor=officer)
        stored: list[ClaimDocument] = []
        try:
            for doc_kind, upload in documents:
                stored.append(store_document(claim=claim, kind=doc_kind, upload=upload, actor=officer))
            if death:
                set_heirs(claim=claim, heirs=heirs or [], officer=officer)
            return _submit_at_branch(claim, officer, office)
        except Exception:
            # The rows roll back with the transaction; the scanned files already stored must go with them.
            for document in stored:
                document.file.storage.delete(str(document.file.name))
            raise


def _submit_at_branch(claim: JhtClaim, officer: Any, office: Office) -> JhtClaim:
    now = timezone.now()
    move(
        claim,
        State.SUBMITTED,
        actor=officer,
        note=_("Diajukan di %(office)s.") % {"office": office.name},
        fields={"submitted_at": now, "declared_at": now, "due_on": sla.due_on(office_today(office), claim.gross)},
        action_label="claims.submitted_at_branch",
    )
    return move(claim, State.IN_REVIEW, actor=officer, action_label="claims.taken_for_review")
