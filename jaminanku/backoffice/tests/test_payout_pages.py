"""The payments pages under /staf/pembayaran-klaim/: finance staff take approved claims from a batch to paid with
nothing but the bank file out and the result file in, as in `make run`; every page with payees, every download
and upload is in the audit log; other staff and members are kept out."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jaminanku.audit.models import AuditEvent
from jaminanku.claims.models import DisbursementBatch, JhtClaim
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim
from jaminanku.staff.tests.helpers import login_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
private_files = payout_fixtures.private_files
URL = "/staf/pembayaran-klaim/"


def test_finance_pays_a_claim_from_batch_to_paid_with_the_bank_file(client, django_user_model):
    claim = approved_claim()
    login_with_role(client, django_user_model, "Keuangan")
    assert URL in client.get("/staf/").content.decode()  # the dashboard leads there
    page = client.get(URL).content.decode()
    assert "1 klaim" in page and "Rp 1.710.000" in page and "Berkas transfer massal bank" in page
    assert "Xendit" not in page  # not configured

    response = client.post(URL + "batch-baru/", {"method": "bank_file"})
    batch = DisbursementBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{batch.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        claim.reference in page
        and f"{claim.reference}-member-1" in page
        and "unduh contoh berkas hasil" in page.lower()
    )

    transfer = client.get(f"{URL}{batch.reference}/berkas-transfer/")
    assert transfer.status_code == 200 and "attachment" in transfer["Content-Disposition"]
    assert f"{claim.reference}-member-1" in transfer.content.decode()
    sample = client.get(f"{URL}{batch.reference}/contoh-hasil/").content
    assert b"BERHASIL" in sample

    upload = SimpleUploadedFile("hasil.csv", sample, content_type="text/csv")
    response = client.post(f"{URL}{batch.reference}/hasil/", {"file": upload}, follow=True)
    assert "1 berhasil" in response.content.decode() and "1 klaim dibayar" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "claims.batch_created",
        "claims.batch_sent",
        "claims.paying",
        "view_list",
        "claims.transfer_file_downloaded",
        "claims.sample_result_downloaded",
        "claims.batch_result_applied",
        "claims.paid",
    } <= actions


def test_a_bad_result_file_is_refused_with_its_lines_named(client, django_user_model):
    approved_claim()
    login_with_role(client, django_user_model, "Supervisor")
    client.post(URL + "batch-baru/", {"method": "bank_file"})
    batch = DisbursementBatch.objects.get()
    bad = SimpleUploadedFile("hasil.csv", b"batch_reference,transfer_reference\r\nX,Y\r\n", content_type="text/csv")
    page = client.post(f"{URL}{batch.reference}/hasil/", {"file": bad}, follow=True).content.decode()
    assert "Kolom berkas hasil tidak lengkap" in page
    assert JhtClaim.objects.get().state == JhtClaim.State.PAYING


def test_nothing_waiting_and_an_unknown_method_are_told_not_crashed(client, django_user_model):
    login_with_role(client, django_user_model, "Keuangan")
    page = client.post(URL + "batch-baru/", {"method": "bank_file"}, follow=True).content.decode()
    assert "Tidak ada klaim yang menunggu pembayaran" in page
    approved_claim()
    page = client.post(URL + "batch-baru/", {"method": "cek-tunai"}, follow=True).content.decode()
    assert "tidak tersedia" in page
    assert client.get(URL + "TIDAKADA/").status_code == 404


def test_branch_officers_and_visitors_are_kept_out(client, django_user_model):
    assert "/admin/login/" in client.get(URL)["Location"]
    login_with_role(client, django_user_model, "Petugas cabang")
    assert URL not in client.get("/staf/").content.decode()
    assert client.get(URL).status_code == 403
    assert client.post(URL + "batch-baru/", {"method": "bank_file"}).status_code == 403


def test_the_transfer_file_can_be_written_again_with_the_same_references(client, django_user_model):
    claim = approved_claim()
    login_with_role(client, django_user_model, "Keuangan")
    client.post(URL + "batch-baru/", {"method": "bank_file"})
    batch = DisbursementBatch.objects.get()
    first = client.get(f"{URL}{batch.reference}/berkas-transfer/").content
    page = client.post(f"{URL}{batch.reference}/kirim-ulang/", follow=True).content.decode()
    assert "kunci idempotensi yang sama" in page
    assert client.get(f"{URL}{batch.reference}/berkas-transfer/").content == first
    assert first.decode().count(f"{claim.reference}-member-1") == 1
