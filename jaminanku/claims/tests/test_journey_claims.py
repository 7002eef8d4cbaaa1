"""Claim journeys through the pages only (Django's test client): the member logs in with the two steps, claims
online with real JPEG uploads, and the claim desk and payments pages decide and pay.

- An officer rejects a claim with a reason: the member's tracking page shows it, the email carries it and the SMS
  tells the member the claim was refused and where to read why.
- A payment the bank refuses (GAGAL in the result file): the member sees the claim returned with the bank's reason
  in their words, corrects the account on the tracking page, the next batch pays it to the new account, and the
  ledger holds exactly one claim entry for it; both result files uploaded again, or the failed line turned to
  BERHASIL later, pay nothing more."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jaminanku.claims.models import Disbursement, JhtClaim
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.desk_helpers import branch, staff
from jaminanku.claims.tests.journey_steps import (
    claim_online,
    desk_decides,
    member_login,
    page_text,
    pay_by_bank_file,
    transfer_line_of,
)
from jaminanku.claims.tests.online_helpers import claim_files, claimant  # noqa: F401 - a fixture
from jaminanku.contributions.models import JhtEntry
from jaminanku.notify.models import OutboundMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claim_files", "private_files")]
private_files = payout_fixtures.private_files
REASON = "Surat pengunduran diri tidak terbaca; unggah ulang yang jelas dan ajukan klaim baru."


def _officer_client() -> tuple[Client, User]:
    """A branch officer posted at the branch serving the test members (province 32, the factories' NIKs)."""
    officer = staff("petugas1", office=branch())
    client = Client()
    client.force_login(officer)
    return client, officer


def _finance_client() -> Client:
    user = User.objects.create_user("keuangan1", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Keuangan"))
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_rejects_with_a_reason_the_member_reads_on_the_tracking_page_and_in_the_notices() -> None:
    desk, officer = _officer_client()
    who = claimant(months=20, wage=15_000_000)  # Rp17,100,000: above the online threshold, so an officer decides
    member = Client()
    member_login(member, who.email, who.password)
    reference = claim_online(member, who.membership.kpj, holder=who.person.full_name)
    assert JhtClaim.objects.get(reference=reference).state == JhtClaim.State.IN_REVIEW
    assert reference in desk.get("/staf/klaim/").content.decode()

    page = desk_decides(desk, reference, "tolak", reason=REASON)
    assert REASON in page
    claim = JhtClaim.objects.get(reference=reference)
    assert claim.state == JhtClaim.State.REJECTED and claim.rejection_reason == REASON

    track = member.get(f"/klaim-jht/{reference}/")
    assert track.status_code == 200
    text = page_text(track)
    assert f"Alasan penolakan: {REASON}" in text and "Ditolak" in text
    email = OutboundMessage.objects.filter(channel="email", to=who.email, subject__contains=reference).latest("id")
    assert "ditolak" in email.body and REASON in email.body
    sms = OutboundMessage.objects.filter(channel="sms", to=who.phone, body__contains=reference).latest("id")
    assert "ditolak" in sms.body and REASON in sms.body and f"/klaim-jht/{reference}/" in sms.body
    # a rejected claim is over: it cannot be paid, and the member may claim again
    assert not _batch_made(_finance_client())
    assert member.get("/klaim-jht/ajukan/", {"kpj": who.membership.kpj}).status_code == 200


def _batch_made(client: Client) -> bool:
    """True when payments staff could make a batch (there was an approved claim)."""
    response = client.post("/staf/pembayaran-klaim/batch-baru/", {"method": "bank_file"}, follow=True)
    return "Tidak ada klaim yang menunggu pembayaran" not in response.content.decode()


def test_a_failed_payment_is_corrected_by_the_member_and_paid_once_by_the_next_batch() -> None:
    who = claimant()  # Rp1,710,000: approved by the system at submission
    member = Client()
    member_login(member, who.email, who.password)
    reference = claim_online(member, who.membership.kpj, holder=who.person.full_name, account_number="1111111111")
    assert JhtClaim.objects.get(reference=reference).state == JhtClaim.State.APPROVED
    finance = _finance_client()

    first = pay_by_bank_file(finance, failed={reference: "REKENING_DITUTUP"})
    assert transfer_line_of(first, reference)["account_number"] == "1111111111"
    assert "1 gagal" in first.applied and "0 klaim dibayar" in first.applied
    claim = JhtClaim.objects.get(reference=reference)
    assert claim.state == JhtClaim.State.RETURNED and claim.entry_id is None
    assert not JhtEntry.objects.filter(account__membership=who.membership, kind="claim").exists()  # nothing posted

    track = member.get(f"/klaim-jht/{reference}/")
    text = page_text(track)
    assert "Pembayaran gagal, perbaiki rekening" in text and "rekening ditutup" in text
    assert f'action="/klaim-jht/{reference}/perbaiki-rekening/"' in track.content.decode()
    assert OutboundMessage.objects.filter(channel="sms", to=who.phone, body__contains="gagal").exists()

    corrected = member.post(
        f"/klaim-jht/{reference}/perbaiki-rekening/",
        {"bank_code": "008", "account_number": "2222222222", "account_holder": who.person.full_name},
    )
    assert corrected.status_code == 302 and corrected["Location"] == f"/klaim-jht/{reference}/"
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED and (claim.bank_code, claim.account_number) == ("008", "2222222222")

    second = pay_by_bank_file(finance)
    assert second.reference != first.reference
    line = transfer_line_of(second, reference)
    assert (line["bank_code"], line["account_number"], line["amount"]) == ("008", "2222222222", str(claim.net))
    assert "1 klaim dibayar" in second.applied
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID
    entries = JhtEntry.objects.filter(account__membership=who.membership, kind="claim")
    assert [(e.pk, e.amount) for e in entries] == [(claim.entry_id, -claim.gross)]  # one claim entry, not two
    payments = Disbursement.objects.filter(claim=claim).order_by("pk")
    assert [(p.status, p.account_number) for p in payments] == [("failed", "1111111111"), ("paid", "2222222222")]
    assert 'data-testid="claim-state">Dibayar<' in member.get(f"/klaim-jht/{reference}/").content.decode()

    # the bank's result files uploaded again (a double click, a retry) change nothing and pay nothing twice
    for batch in (first, second):
        again = finance.get(f"/staf/pembayaran-klaim/{batch.reference}/contoh-hasil/").content.decode()
        if batch is first:
            again = again.replace("BERHASIL", "GAGAL").replace("GAGAL,\r\n", "GAGAL,REKENING_DITUTUP\r\n")
        result = SimpleUploadedFile("hasil.csv", again.encode(), content_type="text/csv")
        page = finance.post(f"/staf/pembayaran-klaim/{batch.reference}/hasil/", {"file": result}, follow=True)
        assert "1 sudah tercatat" in page_text(page) and "0 klaim dibayar" in page_text(page), page_text(page)[:2000]
    # and the first batch's line turned to BERHASIL afterwards is refused: that payment is recorded failed
    late = finance.get(f"/staf/pembayaran-klaim/{first.reference}/contoh-hasil/").content
    result = SimpleUploadedFile("hasil.csv", late, content_type="text/csv")
    page = finance.post(f"/staf/pembayaran-klaim/{first.reference}/hasil/", {"file": result}, follow=True)
    assert "sudah tercatat" in page_text(page) and "klaim dibayar" not in page_text(page), page_text(page)[:2000]
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and entries.count() == 1


def test_the_officer_of_another_branch_does_not_see_the_claim() -> None:
    """The desk's branch scoping, met on the way: an officer elsewhere neither lists nor opens the claim."""
    desk, _ = _officer_client()
    staff("petugas9", office=branch("KC6171", "Kantor Cabang Pontianak", "Asia/Pontianak"))
    elsewhere = Client()
    elsewhere.force_login(User.objects.get(username="petugas9"))
    who = claimant(months=20, wage=15_000_000)
    member = Client()
    member_login(member, who.email, who.password)
    reference = claim_online(member, who.membership.kpj, holder=who.person.full_name)
    assert reference in desk.get("/staf/klaim/").content.decode()  # the serving branch's officer has it
    assert reference not in elsewhere.get("/staf/klaim/").content.decode()
    assert elsewhere.get(f"/staf/klaim/{reference}/").status_code == 404
    assert elsewhere.post(f"/staf/klaim/{reference}/setujui/").status_code == 404
