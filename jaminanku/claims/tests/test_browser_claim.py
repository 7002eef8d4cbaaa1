"""A member claims JHT online in a real browser (Chromium through Playwright, the smallest phone screen we design
for) against a live server: from the eligibility page to the full claim with its amounts, uploads real photos of
the e-KTP, the KK and the resignation letter, gives the bank account, ticks the declaration, submits, and sees the
reference on the tracking page with the claim approved by the system. The start, draft and tracking pages have no
serious or critical axe-core accessibility violation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from PIL import Image

from jaminanku.accounts.tests.helpers import browser_second_step
from jaminanku.bookings.tests.conftest import make_member
from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.claims.selectors import eligibility_for
from jaminanku.core.money import format_rupiah

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def _audit(page, name: str, problems: dict[str, list]) -> None:
    """Records the page's serious or critical axe-core violations (the fixture lets the script past the CSP)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [
        (v["id"], [node["target"] for node in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    if found:
        problems[name] = found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_claims_online_from_the_eligibility_page_to_an_approved_claim(
    small_phone_page, live_server, tmp_path, monkeypatch
):
    from playwright.sync_api import expect

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    problems: dict[str, list] = {}

    # the live server runs in this process: its uploads go to the test's directory
    storage = FileSystemStorage(location=tmp_path / "claims")
    monkeypatch.setattr(ClaimDocument._meta.get_field("file"), "storage", storage)
    page = small_phone_page
    member = make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    membership = member.person.memberships.get()
    gross = eligibility_for(membership).full.gross
    photos = {}
    for kind, fmt in (("ktp", "JPEG"), ("kk", "PNG"), ("resignation", "JPEG")):
        photos[kind] = tmp_path / f"{kind}.{fmt.lower()}"
        Image.new("RGB", (320, 200), (200, 180, 40)).save(photos[kind], format=fmt)
    base = live_server.url

    page.goto(f"{base}/klaim/{membership.kpj}/")  # the login comes first, then back here
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Kata sandi", exact=True).fill(member.password)
    page.get_by_role("button", name="MASUK").click()
    browser_second_step(page, member.email)
    expect(page).to_have_url(f"{base}/klaim/{membership.kpj}/")
    page.get_by_role("link", name="Ajukan klaim online").click()

    # the amounts before anything is created
    expect(page.get_by_test_id("gross").first).to_have_text(format_rupiah(gross))
    expect(page.get_by_test_id("net").first).to_have_text(format_rupiah(gross))  # no tax up to Rp50,000,000
    _audit(page, "start", problems)
    page.get_by_label("Klaim 100%").check()
    page.get_by_role("button", name="Buat draf klaim").click()
    expect(page).to_have_url(re.compile(r"/klaim-jht/[A-Z0-9]+/draf/$"))
    _audit(page, "draft", problems)

    for kind, path in photos.items():
        row = page.locator(f'li[data-document="{kind}"]')
        row.locator('input[type="file"]').set_input_files(str(path))
        row.get_by_role("button", name="Unggah").click()
        expect(page.locator(f'li[data-document="{kind}"] .doc-present')).to_be_visible()

    page.get_by_label("Bank", exact=True).select_option("014")
    page.get_by_label("Nomor rekening").fill("1234 5678 90")
    expect(page.get_by_label("Nama pemilik rekening")).to_have_value(member.person.full_name)
    page.get_by_role("button", name="Simpan rekening").click()
    expect(page.locator(".match.yes")).to_be_visible()

    page.get_by_label(re.compile("^Saya menyatakan")).check()
    page.get_by_role("button", name="Ajukan klaim").click()

    claim = JhtClaim.objects.get(person=member.person)
    expect(page).to_have_url(f"{base}/klaim-jht/{claim.reference}/")
    expect(page.get_by_test_id("claim-reference")).to_have_text(claim.reference)
    expect(page.get_by_test_id("claim-state")).to_have_text("Disetujui, menunggu pembayaran")
    _audit(page, "track", problems)
    assert problems == {}, problems
    assert claim.state == JhtClaim.State.APPROVED and claim.account_number == "1234567890"
    assert sorted(claim.documents.values_list("kind", flat=True)) == ["kk", "ktp", "resignation"]
