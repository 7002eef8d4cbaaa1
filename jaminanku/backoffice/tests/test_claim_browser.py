"""The staff side of a claim in a real browser (Debian's Chromium through Playwright) against a live server: a
branch officer logs in with the second step, finds the member's online claim on the claim desk, opens it, sees why
it was sent to review and approves it; then finance staff create a bank-file batch on the payments page, download
the sample result file the page offers and upload it back, and the claim is paid - on the batch page, on the
member's tracking page, and in the ledger."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.desk_helpers import branch, staff
from jaminanku.claims.tests.journey_steps import claim_online, member_login
from jaminanku.claims.tests.online_helpers import claim_files, claimant  # noqa: F401 - a fixture
from jaminanku.contributions.models import JhtEntry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("reload_reference_data", "claim_files", "private_files"),
]
private_files = payout_fixtures.private_files
PASSWORD = "a-long-password-1"


def _staff_login(page: Any, base: str, username: str, email: str, next_path: str) -> None:
    """The back-office login as staff meet it: the password at /admin/login/, then the code sent to them."""
    from playwright.sync_api import expect

    page.goto(f"{base}/admin/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('input[type="submit"], button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/masuk/kode/"))
    page.get_by_label("Kode verifikasi (6 angka)").fill(code_sent_to(email))
    page.get_by_role("button", name="VERIFIKASI").click()
    expect(page).to_have_url(f"{base}{next_path}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_approves_on_the_desk_and_finance_pay_it_with_the_sample_result_file(
    phone_page: Any, live_server: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    page, base = phone_page, live_server.url
    officer = staff("petugas.bandung", office=branch())
    officer.email = "petugas.bandung@example.com"
    officer.save()
    finance = User.objects.create_user("keuangan.pusat", "keuangan@example.com", PASSWORD, is_staff=True)
    finance.groups.add(Group.objects.get(name="Keuangan"))
    who = claimant(months=20, wage=15_000_000)  # Rp17,100,000: above the online threshold, below four eyes
    member = Client()
    member_login(member, who.email, who.password)
    reference = claim_online(member, who.membership.kpj, holder=who.person.full_name)
    assert JhtClaim.objects.get(reference=reference).state == JhtClaim.State.IN_REVIEW

    # the officer: the desk lists the claim, not overdue; its page says why it waits, and the officer approves
    _staff_login(page, base, officer.username, officer.email, "/staf/klaim/")
    row = page.locator(f'tr[data-reference="{reference}"]')
    expect(row).to_be_visible()
    expect(row).not_to_have_class(re.compile("overdue"))
    row.get_by_role("link", name=reference).click()
    expect(page).to_have_url(f"{base}/staf/klaim/{reference}/")
    expect(page.locator("#keputusan-otomatis")).to_contain_text("di atas batas klaim online")
    page.locator("#putuskan").get_by_role("button", name="Setujui", exact=True).click()
    expect(page.locator("body")).to_contain_text(f"Persetujuan Anda untuk klaim {reference} tercatat")
    assert JhtClaim.objects.get(reference=reference).state == JhtClaim.State.APPROVED
    page.context.clear_cookies()

    # finance: a bank-file batch, the sample result downloaded from the batch page and uploaded back
    _staff_login(page, base, finance.username, finance.email, "/staf/pembayaran-klaim/")
    expect(page.locator("body")).to_contain_text("1 klaim")
    page.get_by_role("button", name="Buat batch pembayaran").click()
    expect(page).to_have_url(re.compile(r"/staf/pembayaran-klaim/[A-Z0-9]+/$"))
    expect(page.locator("body")).to_contain_text(reference)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh contoh berkas hasil").click()
    sample = tmp_path / "hasil.csv"
    download.value.save_as(sample)
    assert reference in sample.read_text() and "BERHASIL" in sample.read_text()
    page.get_by_label("Berkas hasil dari bank (CSV)").set_input_files(str(sample))
    page.get_by_role("button", name="Unggah berkas hasil").click()
    expect(page.locator("body")).to_contain_text("1 klaim dibayar")

    claim = JhtClaim.objects.get(reference=reference)
    assert claim.state == JhtClaim.State.PAID
    assert list(
        JhtEntry.objects.filter(kind="claim", account__membership=who.membership).values_list("pk", "amount")
    ) == [(claim.entry_id, -claim.gross)]
    assert 'data-testid="claim-state">Dibayar<' in member.get(f"/klaim-jht/{reference}/").content.decode()
