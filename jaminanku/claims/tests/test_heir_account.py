"""A death claim whose payment to one heir failed: the branch corrects that heir's account (the heirs filed the
claim there), the claim is approved again, and the next batch pays that heir alone with a new key while the heir
already paid is not paid twice; the claim is posted once. A claim of which some money went out cannot be
withdrawn, and the member cannot put their own account on a death claim."""

from __future__ import annotations

import pytest

from jaminanku.audit.models import AuditEvent
from jaminanku.claims import heirs as heir_services
from jaminanku.claims import online
from jaminanku.claims.models import Disbursement, DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import create_batch, settle_disbursement
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.desk_helpers import supervisor
from jaminanku.claims.tests.payout_fixtures import death_claim
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.errors import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
BANK_FILE = DisbursementBatch.Method.BANK_FILE
State = JhtClaim.State
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


def _correct(claim, heir, officer, **account):
    """The desk gives `heir` a new account (BCA 1234567890 unless `account` says otherwise)."""
    account = {"bank_code": "014", "account_number": "1234567890", "account_holder": heir.name, **account}
    return heir_services.correct_heir_account(claim=claim, heir_id=heir.pk, officer=officer, **account)


def _one_heir_failed(finance):
    """A death claim of two heirs: the first paid, the second's transfer refused (account closed)."""
    claim = death_claim()
    create_batch(method=BANK_FILE, actor=finance)
    first, second = claim.heirs.order_by("pk")
    settle_disbursement(idempotency_key=f"{claim.reference}-heir-{first.pk}-1", succeeded=True)
    settle_disbursement(
        idempotency_key=f"{claim.reference}-heir-{second.pk}-1", succeeded=False, failure_reason="ACCOUNT_CLOSED"
    )
    claim.refresh_from_db()
    assert claim.state == State.RETURNED and claim.entry is None
    return claim, first, second


def test_a_failed_heirs_account_is_corrected_at_the_branch_and_only_that_heir_is_paid_again(finance):
    claim, first, second = _one_heir_failed(finance)
    officer = supervisor()
    with pytest.raises(DomainError) as paid_heir:
        _correct(claim, first, officer)
    assert paid_heir.value.code == "heir_not_failed"

    _correct(claim, second, officer, account_number="1234 5678 90", account_holder="  Ahli   Waris 2 ")
    claim.refresh_from_db()
    second.refresh_from_db()
    assert claim.state == State.APPROVED
    assert (second.bank_code, second.account_number, second.account_holder) == ("014", "1234567890", "Ahli Waris 2")
    audit = AuditEvent.objects.get(action="claims.heir_account_corrected", object_id=str(claim.pk))
    assert audit.actor == officer and audit.after["heir"]["bank"] == "014 …7890"

    batch = create_batch(method=BANK_FILE, actor=finance)
    [payment] = batch.disbursements.all()  # the heir already paid is not paid again
    assert payment.heir_id == second.pk and payment.idempotency_key == f"{claim.reference}-heir-{second.pk}-2"
    assert payment.account_number == "1234567890"
    settle_disbursement(idempotency_key=payment.idempotency_key, succeeded=True)
    claim.refresh_from_db()
    assert claim.state == State.PAID and claim.entry.amount == -claim.gross
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
    paid = Disbursement.objects.filter(claim=claim, status=Disbursement.Status.PAID)
    assert sum(p.amount for p in paid) == claim.net
    assert tax_slip_pdf(claim).startswith(b"%PDF")


def test_the_claim_waits_until_every_failed_heir_has_a_new_account(finance):
    claim = death_claim()
    create_batch(method=BANK_FILE, actor=finance)
    first, second = claim.heirs.order_by("pk")
    for heir in (first, second):
        settle_disbursement(
            idempotency_key=f"{claim.reference}-heir-{heir.pk}-1", succeeded=False, failure_reason="INVALID_ACCOUNT"
        )
    officer = supervisor()
    _correct(claim, first, officer, account_number="1111111111")
    claim.refresh_from_db()
    assert claim.state == State.RETURNED  # the second heir's account is still the one that failed
    _correct(claim, second, officer, account_number="2222222222")
    claim.refresh_from_db()
    assert claim.state == State.APPROVED
    assert create_batch(method=BANK_FILE, actor=finance).disbursements.count() == 2


def test_only_a_returned_claim_takes_a_corrected_heir_account(finance):
    claim = death_claim()
    heir = claim.heirs.first()
    with pytest.raises(DomainError) as refused:
        _correct(claim, heir, supervisor())
    assert refused.value.code == "claim_state"


def test_a_claim_partly_paid_cannot_be_withdrawn_nor_take_the_members_account(finance):
    claim, _first, _second = _one_heir_failed(finance)
    with pytest.raises(DomainError) as refused:
        online.withdraw_claim(claim=claim)
    assert refused.value.code == "partly_paid" and "sudah ditransfer" in str(refused.value.message)
    with pytest.raises(DomainError) as member:
        online.correct_account(claim=claim, bank_code="014", account_number="1234567890", account_holder="X")
    assert member.value.code == "heirs_at_branch"
    claim.refresh_from_db()
    assert claim.state == State.RETURNED


def test_a_returned_claim_with_nothing_paid_may_still_be_withdrawn(finance):
    claim = payout_fixtures.approved_claim()
    create_batch(method=BANK_FILE, actor=finance)
    settle_disbursement(idempotency_key=f"{claim.reference}-member-1", succeeded=False, failure_reason="ACCOUNT_CLOSED")
    assert online.withdraw_claim(claim=claim).state == State.WITHDRAWN
