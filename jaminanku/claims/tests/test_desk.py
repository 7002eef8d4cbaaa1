"""The claim desk's services: approval with four eyes, rejection with a reason the member reads, a branch's
scope, the desk's order and overdue flag, and claims filed at the counter (a death claim with its heirs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from jaminanku.claims import desk
from jaminanku.claims.desk_selectors import desk_claim, desk_claims, office_today
from jaminanku.claims.heirs import set_heirs
from jaminanku.claims.models import ClaimDocument, ClaimEvent, JhtClaim
from jaminanku.claims.tests import desk_helpers
from jaminanku.claims.tests.desk_helpers import (
    branch,
    counter_claim,
    email_of,
    ended_member,
    staff,
    supervisor,
    waiting_claim,
)
from jaminanku.claims.tests.online_helpers import jpeg_bytes, pdf_bytes, upload
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
State = JhtClaim.State
bandung = desk_helpers.bandung  # the fixture


@pytest.fixture
def officer(bandung):
    return staff("petugas_bdg", office=bandung)


def test_officer_approves_a_small_reviewed_claim(bandung, officer):
    claim = waiting_claim(bandung, gross=20_000_000)
    claim = desk.approve_claim(claim=claim, officer=officer, note="Dokumen lengkap.")
    assert claim.state == State.APPROVED and claim.approved_by == officer and claim.decided_at is not None
    assert claim.second_approved_by is None
    last = claim.events.last()
    assert (last.state_from, last.state_to, last.actor, last.note) == (
        "in_review",
        "approved",
        officer,
        "Dokumen lengkap.",
    )
    assert OutboundMessage.objects.filter(to=email_of(claim.membership), body__contains="disetujui").exists()


def test_above_four_eyes_threshold_the_officer_then_a_supervisor_approves(bandung, officer):
    claim = waiting_claim(bandung, gross=60_000_000)
    claim = desk.approve_claim(claim=claim, officer=officer)
    assert claim.state == State.IN_REVIEW and claim.approved_by == officer and claim.decided_at is None
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=claim, officer=officer)
    assert err.value.code == "same_approver"
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=claim, officer=staff("petugas_bdg2", office=bandung))
    assert err.value.code == "supervisor_required"
    boss = supervisor()
    claim = desk.approve_claim(claim=claim, officer=boss)
    assert claim.state == State.APPROVED and claim.second_approved_by == boss and claim.decided_at is not None
    assert [e.state_to for e in claim.events.all()] == ["in_review", "in_review", "approved"]


def test_exactly_at_the_threshold_one_approval_is_enough(bandung, officer):
    claim = desk.approve_claim(claim=waiting_claim(bandung, gross=50_000_000), officer=officer)
    assert claim.state == State.APPROVED


def test_nobody_approves_a_claim_they_prepared(bandung, officer):
    claim = waiting_claim(bandung, gross=5_000_000, prepared_by=officer)
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=claim, officer=officer)
    assert err.value.code == "own_claim"
    big = waiting_claim(bandung, gross=80_000_000, prepared_by=supervisor("boss_prep"))
    desk.approve_claim(claim=big, officer=officer)
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=big, officer=big.prepared_by)
    assert err.value.code == "own_claim"
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW


def test_an_officer_of_another_branch_finds_nothing(bandung):
    claim = waiting_claim(bandung)
    stranger = staff("petugas_mks", office=branch("KC7371", "Kantor Cabang Makassar", "Asia/Makassar"))
    with pytest.raises(NotFound):
        desk.approve_claim(claim=claim, officer=stranger)
    with pytest.raises(NotFound):
        desk.reject_claim(claim=claim, officer=stranger, reason="Dokumen tidak terbaca sama sekali.")
    with pytest.raises(NotFound):
        desk_claim(stranger, claim.reference)
    assert desk_claims(stranger) == []
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW


def test_reject_needs_a_reason_and_tells_the_member(bandung, officer):
    claim = waiting_claim(bandung)
    with pytest.raises(DomainError) as err:
        desk.reject_claim(claim=claim, officer=officer, reason="  ")
    assert err.value.code == "reason_required" and err.value.field == "reason"
    reason = "Surat keterangan berhenti bekerja tidak terbaca; ajukan lagi dengan pindaian yang jelas."
    claim = desk.reject_claim(claim=claim, officer=officer, reason=reason)
    assert claim.state == State.REJECTED and claim.rejection_reason == reason
    assert ClaimEvent.objects.filter(claim=claim, state_to="rejected", note=reason, actor=officer).exists()
    to = email_of(claim.membership)
    assert OutboundMessage.objects.filter(channel="email", to=to, body__contains=reason).exists()
    phone = claim.person.member_profile.phone
    assert OutboundMessage.objects.filter(channel="sms", to=phone, body__contains="ditolak").exists()
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=claim, officer=officer)
    assert err.value.code == "claim_state"


def test_taking_a_submitted_claim_into_review(bandung, officer):
    claim = desk.take_for_review(claim=waiting_claim(bandung, state=State.SUBMITTED), officer=officer)
    assert claim.state == State.IN_REVIEW
    assert desk.take_for_review(claim=claim, officer=officer).events.count() == 2  # the second time changes nothing


def test_desk_lists_the_branch_claims_by_due_date_with_the_overdue_flagged(bandung, officer):
    today = office_today(bandung)
    later = waiting_claim(bandung, due_on=today + timedelta(days=4))
    overdue = waiting_claim(bandung, due_on=today - timedelta(days=1), state=State.SUBMITTED)
    due_today = waiting_claim(bandung, due_on=today, state=State.APPROVED)
    early = timezone.now() - timedelta(hours=2)
    due_today_earlier = waiting_claim(bandung, due_on=today, submitted_at=early)
    waiting_claim(branch("KC3578", "Kantor Cabang Surabaya"), due_on=today - timedelta(days=3))  # another branch
    rejected = waiting_claim(bandung, due_on=today - timedelta(days=9))
    desk.reject_claim(claim=rejected, officer=officer, reason="Bukan peserta yang sama dengan KTP.")
    rows = desk_claims(officer)
    assert [r.claim for r in rows] == [overdue, due_today_earlier, due_today, later]
    assert [r.overdue for r in rows] == [True, False, False, False]
    assert [r.claim for r in desk_claims(officer, state=State.SUBMITTED)] == [overdue]
    assert len(desk_claims(supervisor())) == 5  # every branch's open claims


def test_desk_claim_shows_the_member_record_and_the_automatic_reasons(bandung, officer):
    claim = waiting_claim(bandung)
    shown = desk_claim(officer, claim.reference.lower())
    assert shown.claim == claim and shown.person == claim.person
    assert [m.membership for m in shown.memberships] == [claim.membership]
    assert shown.auto_approved is False and shown.auto_reasons[0]["code"] == "above_threshold"
    assert [e.state_to for e in shown.events] == ["in_review"]


def _scans(*kinds: str) -> list[tuple[str, object]]:
    return [(kind, upload(f"{kind}.jpg", jpeg_bytes(), "image/jpeg")) for kind in kinds]


HEIRS = [
    {
        "nik": "3201014507850003",
        "name": "Siti Rahayu",
        "relation": "spouse",
        "share_percent": "60",
        "bank_code": "002",
        "account_number": "1111222233",
        "account_holder": "SITI RAHAYU",
    },
    {
        "nik": "3201011203100004",
        "name": "Andi Pratama",
        "relation": "child",
        "share_percent": Decimal("40"),
        "bank_code": "008",
        "account_number": "4444555566",
        "account_holder": "ANDI PRATAMA",
    },
]


def test_a_resigned_member_files_at_the_counter_and_another_officer_decides(bandung, officer):
    membership = ended_member()
    with pytest.raises(DomainError) as err:
        counter_claim(membership, officer=officer, office=bandung, documents=_scans("ktp", "kk"))
    assert err.value.code == "documents_missing"
    claim = desk.open_branch_claim(
        person=membership.person,
        membership=membership,
        kind="full",
        officer=officer,
        office=bandung,
        booking_code="BDG2345A",
        bank={"bank_code": "014", "account_number": "8800-1122-33", "account_holder": membership.person.full_name},
        documents=_scans("ktp", "kk") + [("resignation", upload("surat.pdf", pdf_bytes(), "application/pdf"))],
    )
    assert claim.state == State.IN_REVIEW and claim.channel == "branch" and claim.ground == "resignation"
    assert claim.prepared_by == officer and claim.office == bandung and claim.booking_code == "BDG2345A"
    assert claim.gross == membership.jht_account.balance and claim.due_on and claim.submitted_at
    assert (claim.bank_code, claim.account_number, claim.holder_name_score) == ("014", "8800112233", 100)
    assert sorted(claim.documents.values_list("kind", flat=True)) == ["kk", "ktp", "resignation"]
    assert [e.state_to for e in claim.events.all()] == ["draft", "submitted", "in_review"]
    with pytest.raises(DomainError) as err:
        desk.approve_claim(claim=claim, officer=officer)
    assert err.value.code == "own_claim"
    assert desk.approve_claim(claim=claim, officer=staff("petugas_bdg2", office=bandung)).state == State.APPROVED


def test_a_death_claim_records_two_heirs_whose_shares_make_100(bandung, officer):
    membership = ended_member(days_ago=20, reason="death")
    documents = _scans("ktp", "kk", "death", "heirs")
    args = {
        "person": membership.person,
        "membership": membership,
        "kind": "full",
        "officer": officer,
        "office": bandung,
    }
    with pytest.raises(DomainError) as err:
        desk.open_branch_claim(**args, heirs=[HEIRS[0], {**HEIRS[1], "share_percent": "30"}], documents=documents)
    assert err.value.code == "heir_shares_total" and "90" in str(err.value.message)
    with pytest.raises(DomainError) as err:
        desk.open_branch_claim(**args, heirs=[HEIRS[0], {**HEIRS[1], "nik": "3201011203100000"}], documents=documents)
    assert err.value.code == "heir_nik"
    assert not JhtClaim.objects.filter(person=membership.person).exists()
    claim = desk.open_branch_claim(**args, heirs=HEIRS, documents=documents)
    assert claim.ground == "death" and claim.state == State.IN_REVIEW and claim.account_number == ""
    heirs = {h.name: (h.share_percent, h.bank_code, h.account_number) for h in claim.heirs.all()}
    assert heirs == {
        "Siti Rahayu": (Decimal("60.00"), "002", "1111222233"),
        "Andi Pratama": (Decimal("40.00"), "008", "4444555566"),
    }


def test_heirs_only_for_a_death_claim(bandung):
    claim = waiting_claim(bandung)
    with pytest.raises(DomainError) as err:
        set_heirs(claim=claim, heirs=HEIRS, officer=None)
    assert err.value.code == "heirs_not_death"


def test_a_file_refused_at_the_counter_leaves_no_claim_and_no_stored_scans(bandung, officer, monkeypatch):
    membership = ended_member()
    storage = ClaimDocument._meta.get_field("file").storage
    deleted: list[str] = []
    real_delete = storage.delete
    monkeypatch.setattr(storage, "delete", lambda name: (deleted.append(name), real_delete(name)))
    not_a_pdf = upload("surat.pdf", b"MZ\x90\x00 this is a program, not a letter", "application/pdf")
    with pytest.raises(DomainError) as err:
        counter_claim(
            membership, officer=officer, office=bandung, documents=_scans("ktp", "kk") + [("resignation", not_a_pdf)]
        )
    assert err.value.code == "document_type"
    assert not JhtClaim.objects.filter(person=membership.person).exists()
    assert len(deleted) == 2 and not any(storage.exists(name) for name in deleted)


def test_overdue_is_decided_in_the_branch_own_date(officer):
    # 16:30 UTC on 10 Dec 2026 is 23:30 WIB (still the 10th in Bandung) and 00:30 WITA on the 11th in Makassar.
    makassar = branch("KC7371", "Kantor Cabang Makassar", "Asia/Makassar")
    bandung = officer.staff_post.office
    with time_machine.travel(datetime(2026, 12, 10, 16, 30, tzinfo=UTC), tick=False):
        in_bandung = waiting_claim(bandung, due_on=date(2026, 12, 10))
        in_makassar = waiting_claim(makassar, due_on=date(2026, 12, 10))
        overdue = {row.claim: row.overdue for row in desk_claims(supervisor())}
    assert overdue == {in_bandung: False, in_makassar: True}
