"""The member's online claim through the services: start, documents, submit, the automatic decision, withdraw,
and a corrected account after a failed payment."""

from __future__ import annotations

import pytest

from jaminanku.claims import online, tracking
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.tests.online_helpers import claim_files, claimant, jpeg_bytes, ready_draft, upload  # noqa: F401
from jaminanku.claims.transitions import move
from jaminanku.core.errors import DomainError
from jaminanku.notify.models import OutboundMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claim_files")]
State = JhtClaim.State


def test_within_threshold_claim_is_approved_by_the_system():
    who = claimant()
    claim = online.submit_claim(claim=ready_draft(who), declaration=True)
    assert claim.state == State.APPROVED
    assert claim.auto_decision["approved"] is True
    assert {r["code"] for r in claim.auto_decision["reasons"]} >= {"within_threshold", "end_reported"}
    assert claim.gross == 1_710_000 and claim.tax == 0
    assert claim.account_number == "0123456789012" and claim.holder_name_score == 100
    assert claim.submitted_at and claim.declared_at and claim.decided_at and claim.due_on
    steps = [(e.state_to, e.actor_label) for e in tracking.timeline(claim)]
    assert steps == [("draft", "peserta"), ("submitted", "peserta"), ("approved", "sistem")]
    assert OutboundMessage.objects.filter(to=who.email, subject__contains=claim.reference).count() == 2


def test_above_threshold_goes_to_review_with_its_reason():
    who = claimant(months=20, wage=15_000_000)
    claim = online.submit_claim(claim=ready_draft(who), declaration=True)
    assert claim.gross == 17_100_000
    assert claim.state == State.IN_REVIEW and claim.decided_at is None
    assert [r["code"] for r in claim.auto_decision["reasons"]] == ["above_threshold"]
    assert "batas klaim online" in claim.auto_decision["reasons"][0]["text"]


def test_second_open_claim_is_refused():
    who = claimant()
    online.start_claim(person=who.person, membership=who.membership, kind="full")
    with pytest.raises(DomainError) as err:
        online.start_claim(person=who.person, membership=who.membership, kind="full")
    assert err.value.code == "open_claim_exists" and err.value.status == 409


def test_submit_needs_declaration_documents_and_account():
    who = claimant()
    claim = online.start_claim(person=who.person, membership=who.membership, kind="full")
    with pytest.raises(DomainError) as err:
        online.submit_claim(claim=claim, declaration=False)
    assert err.value.code == "declaration_required"
    with pytest.raises(DomainError) as err:
        online.submit_claim(claim=claim, declaration=True)
    assert err.value.code == "documents_missing" and "ktp" in err.value.extra["missing"]
    for kind in online.missing_documents(claim):
        online.add_document(claim=claim, kind=kind, upload=upload("x.jpg", jpeg_bytes()))
    with pytest.raises(DomainError) as err:
        online.submit_claim(claim=claim, declaration=True)
    assert err.value.code == "payout_account_missing"
    claim.refresh_from_db()
    assert claim.state == State.DRAFT


def test_withdraw_before_a_decision_and_start_again():
    who = claimant(months=20, wage=15_000_000)
    claim = online.submit_claim(claim=ready_draft(who), declaration=True)
    assert online.withdraw_claim(claim=claim).state == State.WITHDRAWN
    again = online.start_claim(person=who.person, membership=who.membership, kind="full")
    assert again.state == State.DRAFT


def test_documents_only_change_on_a_draft():
    who = claimant()
    claim = ready_draft(who)
    token = claim.documents.first().token
    online.submit_claim(claim=claim, declaration=True)
    with pytest.raises(DomainError):
        online.remove_document(claim=claim, document_token=token)
    with pytest.raises(DomainError):
        online.add_document(claim=claim, kind="other", upload=upload("x.jpg", jpeg_bytes()))


def test_failed_payment_corrected_by_the_member():
    who = claimant()
    claim = online.submit_claim(claim=ready_draft(who), declaration=True)
    move(claim, State.PAYING)
    move(claim, State.RETURNED, note="Rekening tidak ditemukan.")
    with pytest.raises(DomainError) as err:
        online.correct_account(claim=claim, bank_code="014", account_number="5550001111", account_holder="Orang Lain")
    assert err.value.code == "holder_name_mismatch"
    claim.refresh_from_db()
    assert claim.state == State.RETURNED and claim.person.payout_account.bank_code == "002"
    claim = online.correct_account(
        claim=claim, bank_code="014", account_number="555-000-1111", account_holder=who.person.full_name
    )
    assert claim.state == State.APPROVED and (claim.bank_code, claim.account_number) == ("014", "5550001111")
    assert claim.person.payout_account.account_number == "5550001111"
