"""The member's claim pages over HTTP: from the eligibility page to a kind with its gross, PPh 21 and net; the
draft's documents (real image files, a file that is not what its name says refused in the member's language),
bank account and declaration; submit, the tracking page with its timeline; withdraw, the account corrected after a
failed payment; and nothing of another member's claim reachable by changing an address."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.files.storage import FileSystemStorage
from PIL import Image

from jaminanku.bookings.tests.conftest import make_member
from jaminanku.claims import transitions
from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import ClaimDocument, DisbursementBatch, JhtClaim, PayoutAccount
from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.tests import payout_fixtures
from jaminanku.core.money import format_rupiah

pytestmark = pytest.mark.django_db
START = "/klaim-jht/ajukan/"
finance = payout_fixtures.finance  # the finance officer who pays a batch


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """The claims storage in the test's own directory (the fields keep their storage object, so it is swapped)."""
    storage = FileSystemStorage(location=tmp_path / "claims")
    monkeypatch.setattr(ClaimDocument._meta.get_field("file"), "storage", storage)
    for name in ("transfer_file", "result_file"):
        monkeypatch.setattr(DisbursementBatch._meta.get_field(name), "storage", storage)
    return storage


@pytest.fixture
def member(db):
    return make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)


@pytest.fixture
def other(db):
    return make_member(email="agus.salim@example.com", phone="+6281211110002", ended_days_ago=120)


def _image(path, fmt: str = "PNG"):
    """A real small picture on disk, as a phone would send it."""
    Image.new("RGB", (64, 40), (30, 120, 200)).save(path, format=fmt)
    return path


def _kpj(member) -> str:
    return member.person.memberships.get().kpj


def _draft(client, member) -> JhtClaim:
    response = client.post(START, {"kpj": _kpj(member), "kind": "full"})
    claim = JhtClaim.objects.get(person=member.person)
    assert response.status_code == 302 and response["Location"] == f"/klaim-jht/{claim.reference}/draf/"
    return claim


def _upload(client, claim, kind, path):
    with open(path, "rb") as handle:
        return client.post(f"/klaim-jht/{claim.reference}/dokumen/", {"kind": kind, "file": handle})


def _ready(client, member, tmp_path) -> JhtClaim:
    """A draft with every document the resignation needs and the member's own account."""
    claim = _draft(client, member)
    for kind in ("ktp", "kk", "resignation"):
        assert _upload(client, claim, kind, _image(tmp_path / f"{kind}.jpg", "JPEG")).status_code == 302
    account = {"bank_code": "014", "account_number": "1234567890", "account_holder": member.person.full_name}
    assert client.post(f"/klaim-jht/{claim.reference}/rekening/", account).status_code == 302
    return claim


def test_eligibility_page_leads_to_the_kinds_with_gross_tax_and_net_before_anything_is_created(client, member):
    client.force_login(member.user)
    kpj = _kpj(member)
    eligibility = client.get(f"/klaim/{kpj}/").content.decode()
    assert f'href="{START}?kpj={kpj}"' in eligibility
    balance = eligibility_for(member.person.memberships.get()).full.gross
    page = client.get(f"{START}?kpj={kpj}").content.decode()
    assert "Klaim 100%" in page and "Mengundurkan diri" in page
    assert format_rupiah(balance) in page and format_rupiah(jht_tax(balance)) in page  # the net too: no tax here
    assert 'name="kind" value="full"' in page
    assert not JhtClaim.objects.exists()


def test_above_fifty_million_the_tax_is_five_percent_of_the_part_above(client, db):
    rich = make_member(email="rudi.hartono@example.com", phone="+6281211110003", ended_days_ago=60)
    client.force_login(rich.user)
    membership = rich.person.memberships.get()
    account = membership.jht_account
    account.balance = 54_720_000  # stands for the ledger's balance: only the display is tested here
    account.save(update_fields=["balance"])
    page = client.get(START).content.decode()
    # 5 % of 4,720,000 above Rp50,000,000 is 236,000, paid 54,720,000 - 236,000
    assert "Rp 54.720.000" in page and "Rp 236.000" in page and "Rp 54.484.000" in page


def test_a_branch_only_ground_says_where_to_go_and_cannot_be_started_online(client, db):
    disabled = make_member(email="siti.aminah@example.com", phone="+6281211110004", ended_days_ago=10)
    employment = disabled.person.memberships.get().employments.get()
    employment.end_reason = "disability"
    employment.save(update_fields=["end_reason"])
    client.force_login(disabled.user)
    eligibility = client.get(f"/klaim/{_kpj(disabled)}/").content.decode()
    assert START not in eligibility  # no online start offered, the queue is
    page = client.get(START).content.decode()
    assert "Cacat total tetap" in page and "Ajukan di kantor cabang" in page
    assert "/antrian/baru/?layanan=jht_claim" in page and 'name="kind"' not in page
    refused = client.post(START, {"kpj": _kpj(disabled), "kind": "full"})
    assert refused.status_code == 400 and not JhtClaim.objects.exists()


def test_draft_lists_the_documents_the_kind_needs_and_takes_real_files(client, member, tmp_path):
    client.force_login(member.user)
    claim = _draft(client, member)
    page = client.get(f"/klaim-jht/{claim.reference}/draf/").content.decode()
    for label in ("e-KTP", "Kartu Keluarga", "Surat pengunduran diri"):
        assert label in page
    assert page.count("belum diunggah") == 3 and 'enctype="multipart/form-data"' in page

    assert _upload(client, claim, "ktp", _image(tmp_path / "ktp.png")).status_code == 302
    page = client.get(f"/klaim-jht/{claim.reference}/draf/").content.decode()
    assert page.count("belum diunggah") == 2 and "sudah diunggah" in page
    document = ClaimDocument.objects.get(claim=claim)
    download = client.get(f"/klaim-jht/{claim.reference}/dokumen/{document.token}/")
    assert download["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(download.content)).size == (64, 40)

    removed = client.post(f"/klaim-jht/{claim.reference}/dokumen/{document.token}/hapus/")
    assert removed.status_code == 302 and not ClaimDocument.objects.filter(claim=claim).exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_in_the_members_language(client, member, tmp_path):
    client.force_login(member.user)
    claim = _draft(client, member)
    fake = tmp_path / "ktp.png"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a picture" * 20)
    refused = _upload(client, claim, "ktp", fake)
    assert refused.status_code == 400
    assert "Berkas harus berupa foto (JPEG atau PNG) atau PDF" in refused.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the language switch in the top bar
    english = _upload(client, claim, "ktp", fake)
    assert english.status_code == 400 and "must be a photo (JPEG or PNG) or a PDF" in english.content.decode()
    assert not ClaimDocument.objects.exists()


def test_too_large_a_file_is_refused(client, member, tmp_path, settings):
    settings.CLAIMS_DOCUMENT_MAX_BYTES = 1000
    client.force_login(member.user)
    claim = _draft(client, member)
    big = tmp_path / "kk.png"
    Image.effect_noise((200, 200), 80).save(big, format="PNG")  # noise does not compress: well over 1000 bytes
    refused = _upload(client, claim, "kk", big)
    assert refused.status_code == 400 and "Berkas terlalu besar" in refused.content.decode()


def test_bank_account_shows_whether_the_holder_name_matches_and_keeps_what_was_typed(client, member):
    client.force_login(member.user)
    claim = _draft(client, member)
    url = f"/klaim-jht/{claim.reference}/rekening/"
    wrong = client.post(url, {"bank_code": "014", "account_number": "12-ab", "account_holder": "Nama Saya"})
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "Nomor rekening harus berupa 5 sampai 20 angka." in page and 'value="Nama Saya"' in page
    assert not PayoutAccount.objects.exists()

    client.post(url, {"bank_code": "014", "account_number": "1234567890", "account_holder": "Budi Hartono Wijaya"})
    page = client.get(f"/klaim-jht/{claim.reference}/draf/").content.decode()
    assert "tidak cocok" in page and "Bank Central Asia (BCA)" in page
    client.post(url, {"bank_code": "008", "account_number": "1234567890", "account_holder": member.person.full_name})
    page = client.get(f"/klaim-jht/{claim.reference}/draf/").content.decode()
    assert "Nama pemilik rekening cocok" in page and "Bank Mandiri" in page


def test_submit_without_declaration_says_so_then_submits_and_tracks_the_claim(client, member, tmp_path):
    client.force_login(member.user)
    claim = _ready(client, member, tmp_path)
    refused = client.post(f"/klaim-jht/{claim.reference}/kirim/", {})
    assert refused.status_code == 400 and 'class="errorlist' in refused.content.decode()
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.DRAFT

    response = client.post(f"/klaim-jht/{claim.reference}/kirim/", {"declaration": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/klaim-jht/{claim.reference}/"
    page = response.content.decode()
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED  # within the threshold, every check holds
    assert claim.reference in page and "Disetujui, menunggu pembayaran" in page
    assert f"Klaim {claim.reference} diajukan" in page
    assert claim.due_on.strftime("%d/%m/%Y") in page and format_rupiah(claim.net) in page
    assert "Draf" in page and "Nama pemilik rekening sesuai dengan data peserta." in page  # timeline, reasons
    for document in claim.documents.all():
        assert f"/klaim-jht/{claim.reference}/dokumen/{document.token}/" in page
    # a submitted claim is not a draft any more
    assert client.get(f"/klaim-jht/{claim.reference}/draf/")["Location"] == f"/klaim-jht/{claim.reference}/"
    assert 'href="/klaim-jht/"' in client.get("/").content.decode()  # "Klaim saya" from the home page
    mine = client.get("/klaim-jht/").content.decode()
    assert claim.reference in mine and "Disetujui" in mine


def test_a_second_claim_is_refused_while_one_is_open(client, member):
    client.force_login(member.user)
    claim = _draft(client, member)
    page = client.get(START).content.decode()
    assert claim.reference in page
    again = client.post(START, {"kpj": _kpj(member), "kind": "full"})
    assert again.status_code == 400 and JhtClaim.objects.count() == 1


def test_member_withdraws_a_draft(client, member):
    client.force_login(member.user)
    claim = _draft(client, member)
    assert "Batalkan klaim" in client.get(f"/klaim-jht/{claim.reference}/draf/").content.decode()
    response = client.post(f"/klaim-jht/{claim.reference}/batal/", follow=True)
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.WITHDRAWN
    assert "Dibatalkan peserta" in response.content.decode()


def test_after_a_failed_payment_the_member_corrects_the_account(client, member, tmp_path):
    client.force_login(member.user)
    claim = _ready(client, member, tmp_path)
    client.post(f"/klaim-jht/{claim.reference}/kirim/", {"declaration": "on"})
    transitions.move(claim, JhtClaim.State.PAYING)  # what the payment batch does
    transitions.move(claim, JhtClaim.State.RETURNED, note="Rekening tidak ditemukan di bank tujuan.")
    url = f"/klaim-jht/{claim.reference}/"
    page = client.get(url).content.decode()
    assert "Perbaiki rekening" in page and "Rekening tidak ditemukan di bank tujuan." in page

    wrong = client.post(url + "perbaiki-rekening/", {"bank_code": "", "account_number": "98765", "account_holder": "X"})
    assert wrong.status_code == 400 and 'value="98765"' in wrong.content.decode()
    fixed = {"bank_code": "009", "account_number": "0987654321", "account_holder": member.person.full_name}
    assert client.post(url + "perbaiki-rekening/", fixed).status_code == 302
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED and claim.account_number == "0987654321"
    assert PayoutAccount.objects.get(person=member.person).bank_code == "009"


def test_another_members_claim_documents_and_slip_are_not_found(client, member, other, tmp_path):
    client.force_login(member.user)
    claim = _draft(client, member)
    _upload(client, claim, "ktp", _image(tmp_path / "ktp.png"))
    token = ClaimDocument.objects.get(claim=claim).token
    client.force_login(other.user)
    base = f"/klaim-jht/{claim.reference}/"
    for path in (base, base + "draf/", base + f"dokumen/{token}/", base + "bukti-potong.pdf"):
        assert client.get(path).status_code == 404, path
    for path in (base + "batal/", base + "kirim/", base + f"dokumen/{token}/hapus/", base + "rekening/"):
        assert client.post(path, {"declaration": "on"}).status_code == 404, path
    assert client.get(START + "?kpj=" + _kpj(member)).status_code == 404
    assert claim.reference not in client.get("/klaim-jht/").content.decode()
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.DRAFT and claim.documents.count() == 1


def test_once_paid_the_member_downloads_the_withholding_slip(client, member, tmp_path, finance):
    client.force_login(member.user)
    claim = _ready(client, member, tmp_path)
    client.post(f"/klaim-jht/{claim.reference}/kirim/", {"declaration": "on"})
    slip = f"/klaim-jht/{claim.reference}/bukti-potong.pdf"
    assert client.get(slip).status_code == 404  # approved, not paid yet: no slip
    batch = create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=finance)
    apply_result_file(batch, sample_result_csv(batch), finance)  # the bank says it paid
    claim.refresh_from_db()
    page = client.get(f"/klaim-jht/{claim.reference}/").content.decode()
    assert "Dibayar" in page and f'href="{slip}"' in page
    response = client.get(slip)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert claim.tax_slip_number in text and claim.reference in text

    JhtClaim.objects.filter(pk=claim.pk).update(tax_slip_number="")  # paid without a number: a page that says so
    response = client.get(slip)
    assert response.status_code == 409 and "belum bernomor" in response.content.decode()
    assert f'href="/klaim-jht/{claim.reference}/"' in response.content.decode()


def test_claim_pages_ask_anonymous_visitors_to_log_in(client, member):
    for path in ("/klaim-jht/", START, "/klaim-jht/ABCD2345/"):
        response = client.get(path)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_member_with_two_kpjs_chooses_which_one_to_claim_from(client, member):
    from jaminanku.registry.tests.factories import MembershipFactory

    first = _kpj(member)
    second = MembershipFactory(person=member.person, segment="BPU")
    client.force_login(member.user)
    page = client.get(START).content.decode()
    assert f'<option value="{second.kpj}"' in page and f'<option value="{first}"' in page
    empty = client.get(f"{START}?kpj={second.kpj}").content.decode()
    assert "Saldo JHT kosong." in empty and 'name="kind"' not in empty
    refused = client.post(START, {"kpj": second.kpj, "kind": "full"})
    assert refused.status_code == 400 and not JhtClaim.objects.exists()


def test_submit_says_which_documents_are_missing(client, member):
    client.force_login(member.user)
    claim = _draft(client, member)
    refused = client.post(f"/klaim-jht/{claim.reference}/kirim/", {"declaration": "on"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "Dokumen belum lengkap: e-KTP, Kartu Keluarga" in page
    assert 'name="declaration" id="id_declaration" checked' in page  # what was ticked stays ticked
