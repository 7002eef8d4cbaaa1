"""The claim desk's pages (/staf/klaim/) through HTTP: the branch's list by due date with the overdue standing out,
a claim decided by one officer or, above the four-eyes threshold, by an officer and a supervisor, a rejection the
member reads, another branch's claims and documents answering 404, each look at a document audited, and a death
claim with two heirs filed from a checked-in booking, which the booking then leads to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jaminanku.audit.models import AuditEvent
from jaminanku.bookings.models import Booking
from jaminanku.claims.desk_selectors import office_today
from jaminanku.claims.documents import store_document
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.tests import desk_helpers
from jaminanku.claims.tests.desk_helpers import (
    branch,
    checked_in,
    email_of,
    ended_member,
    staff,
    supervisor,
    waiting_claim,
)
from jaminanku.claims.tests.online_helpers import jpeg_bytes, pdf_bytes, upload
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
State = JhtClaim.State
bandung = desk_helpers.bandung  # the fixture


@pytest.fixture
def officer(client, bandung):
    user = staff("petugas_bdg", office=bandung)
    client.force_login(user)
    return user


def _page(client, claim):
    return client.get(f"/staf/klaim/{claim.reference}/")


def test_desk_lists_the_branch_claims_by_due_date_and_the_overdue_stand_out(client, bandung, officer):
    today = office_today(bandung)
    later = waiting_claim(bandung, due_on=today + timedelta(days=2))
    late = waiting_claim(bandung, due_on=today - timedelta(days=1))
    elsewhere = waiting_claim(branch("KC3578", "Kantor Cabang Surabaya"), due_on=today - timedelta(days=5))
    page = client.get("/staf/klaim/").content.decode()
    assert page.index(late.reference) < page.index(later.reference)
    assert elsewhere.reference not in page
    assert f'data-reference="{late.reference}" class="overdue"' in page and "TERLAMBAT" in page
    assert f'data-reference="{later.reference}">' in page
    assert AuditEvent.objects.filter(action="view_list", object_type="claims.JhtClaim").exists()
    assert 'href="/staf/klaim/"' in client.get("/staf/").content.decode()  # the dashboard leads to the desk
    client.force_login(supervisor())
    page = client.get("/staf/klaim/").content.decode()
    assert elsewhere.reference in page and late.reference in page
    page = client.get("/staf/klaim/", {"kantor": "KC3578"}).content.decode()
    assert elsewhere.reference in page and late.reference not in page


def test_officer_approves_a_small_reviewed_claim(client, bandung, officer):
    claim = waiting_claim(bandung, gross=12_000_000)
    page = _page(client, claim).content.decode()
    assert claim.person.full_name in page and claim.membership.kpj in page and "Di atas batas online." in page
    assert AuditEvent.objects.filter(action="view", object_type="claims.JhtClaim", object_id=str(claim.pk)).exists()
    response = client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": ""}, follow=True)
    assert "Persetujuan Anda untuk klaim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == State.APPROVED and claim.approved_by == officer


def test_above_four_eyes_the_officer_then_a_supervisor_approves(client, bandung, officer):
    claim = waiting_claim(bandung, gross=75_000_000)
    client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": ""})
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW and claim.approved_by == officer
    assert "menunggu persetujuan supervisor" in _page(client, claim).content.decode()
    response = client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": ""}, follow=True)
    assert "supervisor lain" in response.content.decode()  # the same officer twice is refused
    client.force_login(supervisor())
    client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": "Diverifikasi lewat panggilan video."})
    claim.refresh_from_db()
    assert claim.state == State.APPROVED and claim.second_approved_by.username == "supervisor1"
    assert claim.events.last().note == "Diverifikasi lewat panggilan video."


def test_reject_with_a_reason_tells_the_member_and_shows_in_the_timeline(client, bandung, officer):
    claim = waiting_claim(bandung)
    response = client.post(f"/staf/klaim/{claim.reference}/tolak/", {"reason": ""}, follow=True)
    assert "alasan penolakan" in response.content.decode()
    reason = "Nama di buku tabungan berbeda dengan KTP; datang ke kantor cabang dengan buku tabungan Anda."
    page = client.post(f"/staf/klaim/{claim.reference}/tolak/", {"reason": reason}, follow=True).content.decode()
    claim.refresh_from_db()
    assert claim.state == State.REJECTED and claim.rejection_reason == reason
    assert reason in page  # the timeline's note and the reason
    assert OutboundMessage.objects.filter(to=email_of(claim.membership), body__contains=reason).exists()


def test_another_branch_officer_gets_404_for_the_claim_its_decisions_and_documents(client, bandung):
    claim = waiting_claim(bandung)
    doc = store_document(claim=claim, kind="ktp", upload=upload("ktp.jpg", jpeg_bytes(), "image/jpeg"))
    client.force_login(staff("petugas_mks", office=branch("KC7371", "Kantor Cabang Makassar", "Asia/Makassar")))
    assert _page(client, claim).status_code == 404
    assert client.post(f"/staf/klaim/{claim.reference}/setujui/", {}).status_code == 404
    assert client.post(f"/staf/klaim/{claim.reference}/tolak/", {"reason": "x" * 20}).status_code == 404
    assert client.get(f"/staf/klaim/{claim.reference}/dokumen/{doc.token}/").status_code == 404
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW


def test_staff_without_the_roles_are_refused(client, bandung):
    claim = waiting_claim(bandung)
    doc = store_document(claim=claim, kind="ktp", upload=upload("ktp.jpg", jpeg_bytes(), "image/jpeg"))
    client.force_login(staff("keuangan1", role="Keuangan"))  # may see claims, not their documents nor decide
    assert client.get(f"/staf/klaim/{claim.reference}/dokumen/{doc.token}/").status_code == 403
    assert client.post(f"/staf/klaim/{claim.reference}/setujui/", {}).status_code == 403
    client.force_login(staff("unposted", role="Petugas cabang"))  # a branch officer without a post sees nothing
    assert client.get("/staf/klaim/").status_code == 403
    client.logout()
    assert client.get("/staf/klaim/")["Location"].startswith("/admin/login/")


def test_each_staff_look_at_a_document_is_audited(client, bandung, officer):
    claim = waiting_claim(bandung)
    doc = store_document(claim=claim, kind="resignation", upload=upload("s.pdf", pdf_bytes(), "application/pdf"))
    for _ in range(2):
        response = client.get(f"/staf/klaim/{claim.reference}/dokumen/{doc.token}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "private, no-store"
    views = AuditEvent.objects.filter(action="claims.document_viewed", object_id=str(doc.pk), actor=officer)
    assert views.count() == 2
    assert client.get(f"/staf/klaim/{claim.reference}/dokumen/{'0' * 32}/").status_code == 404


def _scan(name: str) -> SimpleUploadedFile:
    return upload(name, jpeg_bytes(), "image/jpeg")


def test_death_claim_with_two_heirs_filed_from_a_checked_in_booking(client, bandung, officer):
    membership = ended_member(days_ago=20, reason="death")
    booking = checked_in(membership.person, bandung, membership)
    assert booking.code in client.get("/staf/klaim/").content.decode()  # waiting at the counter
    url = f"/staf/klaim/antrean/{booking.code}/"
    first = client.get(url).content.decode()
    assert membership.kpj in first and "Meninggal dunia" in first
    form = client.get(url, {"kpj": membership.kpj, "jenis": "full"}).content.decode()
    assert "Akta kematian" in form and "ahli-TOTAL_FORMS" in form and "account_number" not in form.split("ahli")[0]
    data = {
        "kpj": membership.kpj,
        "jenis": "full",
        "doc_ktp": _scan("ktp.jpg"),
        "doc_kk": _scan("kk.jpg"),
        "doc_death": upload("akta.pdf", pdf_bytes("Akta kematian"), "application/pdf"),
        "doc_heirs": _scan("waris.jpg"),
        "ahli-TOTAL_FORMS": "4",
        "ahli-INITIAL_FORMS": "0",
        "ahli-MIN_NUM_FORMS": "0",
        "ahli-MAX_NUM_FORMS": "10",
    }
    heirs = [
        ("3201014507850003", "Siti Rahayu", "spouse", "60", "002", "1111222233"),
        ("3201011203100004", "Andi Pratama", "child", "40", "008", "4444555566"),
    ]
    for n, (nik, name, relation, share, bank, account) in enumerate(heirs):
        data.update(
            {
                f"ahli-{n}-nik": nik,
                f"ahli-{n}-name": name,
                f"ahli-{n}-relation": relation,
                f"ahli-{n}-share_percent": share,
                f"ahli-{n}-bank_code": bank,
                f"ahli-{n}-account_number": account,
                f"ahli-{n}-account_holder": name.upper(),
            }
        )
    response = client.post(url, {**data, "ahli-1-share_percent": "30"})
    assert response.status_code == 200 and "tepat 100%" in response.content.decode()
    data.update({k: _scan(f"{k}.jpg") for k in ("doc_ktp", "doc_kk", "doc_heirs")})
    data["doc_death"] = upload("akta.pdf", pdf_bytes("Akta kematian"), "application/pdf")
    response = client.post(url, data, follow=True)
    claim = JhtClaim.objects.get(person=membership.person)
    assert response.redirect_chain[-1][0] == f"/staf/klaim/{claim.reference}/"
    page = response.content.decode()
    assert "Siti Rahayu" in page and "Andi Pratama" in page and "60" in page
    assert "Anda menyiapkan klaim ini" in page and "/setujui/" not in page
    assert claim.ground == "death" and claim.state == State.IN_REVIEW and claim.booking_code == booking.code
    assert claim.prepared_by == officer and claim.channel == "branch"
    assert sorted(h.share_percent for h in claim.heirs.all()) == [40, 60]
    assert claim.documents.count() == 4
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
    # The preparer may not approve it; another officer of the branch does.
    client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": ""})
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW
    client.force_login(staff("petugas_bdg2", office=bandung))
    client.post(f"/staf/klaim/{claim.reference}/setujui/", {"note": ""})
    claim.refresh_from_db()
    assert claim.state == State.APPROVED
    assert client.get(url).status_code == 404  # the booking is served: nothing more to open from it


def test_a_booking_of_another_branch_cannot_be_opened(client, bandung, officer):
    membership = waiting_claim(bandung).membership
    booking = checked_in(membership.person, branch("KC3578", "Kantor Cabang Surabaya"), membership, code="SBY2345A")
    assert client.get(f"/staf/klaim/antrean/{booking.code}/").status_code == 404


def test_an_officer_takes_a_submitted_claim_into_review(client, bandung, officer):
    claim = waiting_claim(bandung, state=State.SUBMITTED)
    assert "/periksa/" in _page(client, claim).content.decode()
    client.post(f"/staf/klaim/{claim.reference}/periksa/")
    claim.refresh_from_db()
    assert claim.state == State.IN_REVIEW and claim.events.last().actor == officer
    assert "/periksa/" not in _page(client, claim).content.decode()
