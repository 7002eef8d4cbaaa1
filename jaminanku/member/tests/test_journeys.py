"""The member journeys on the smallest phone screen we design for (360×640) in Debian's Chromium: sign-up's first
screens, login, balance, statement, card, nearest office, booking and news. Each page is saved as a screenshot
under test-artifacts/screenshots/ and checked with axe-core (installed from npm by `make test`): no serious or
critical accessibility violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from jaminanku.accounts.tests.helpers import browser_second_step
from jaminanku.demo.identity import demo_member_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]
ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def _audit(page, name: str, problems: dict[str, list]) -> None:
    """Screenshot the page and record its serious or critical axe-core violations."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    if found:
        problems[name] = found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_journeys_on_a_small_phone_have_no_serious_accessibility_problems(small_phone_page, live_server):
    from playwright.sync_api import expect

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, base, problems = small_phone_page, live_server.url, {}
    call_command("seed_demo", persons=40, seed=7, accounts=1)
    call_command("seed_news")
    login = demo_member_login()
    assert login is not None

    # sign-up: the first question, then the code screen
    page.goto(base + "/daftar/")
    _audit(page, "01-daftar-email", problems)
    page.get_by_label("Email").fill("jalan.jalan@example.com")
    page.locator("form.stack button[type=submit]", has_text="SELANJUTNYA").click()
    expect(page).to_have_url(re.compile(r"/daftar/kode-email/$"))
    _audit(page, "02-daftar-kode", problems)

    # login, then balance, statement and card
    page.context.clear_cookies()
    page.goto(base + "/masuk/")
    _audit(page, "03-masuk", problems)
    page.get_by_label("Email").fill(login["email"])
    page.get_by_label("Kata sandi", exact=True).fill(login["password"])
    page.get_by_role("button", name="MASUK").click()
    browser_second_step(page, login["email"])  # a browser new to the login: the code from the email
    expect(page).to_have_url(base + "/")
    expect(page.get_by_test_id("total-balance")).to_be_visible()
    _audit(page, "04-beranda-saldo", problems)
    page.get_by_role("link", name="Rincian saldo per tahun").first.click()
    expect(page.locator("table.entries")).to_be_visible()
    _audit(page, "05-rincian-saldo", problems)
    page.get_by_role("link", name="Kartu", exact=True).click()
    expect(page.locator("img.card-image").first).to_be_visible()
    _audit(page, "06-kartu", problems)

    # nearest office by a typed city, then the queue booking form
    page.goto(base + "/kantor/?kota=Bandung")
    expect(page.locator("main")).to_contain_text("Bandung")
    _audit(page, "07-kantor-terdekat", problems)
    page.goto(base + "/kantor/")  # nothing asked: every office by province
    page.get_by_text("Jawa Barat (", exact=False).click()
    expect(page.locator("main")).to_contain_text("Kantor Cabang Banjar")
    _audit(page, "07b-kantor-per-provinsi", problems)
    page.goto(base + "/antrian/baru/")
    _audit(page, "08-antrian", problems)

    # news: the list and one article
    page.goto(base + "/berita/")
    _audit(page, "09-berita", problems)
    page.locator("main article a, main li a").first.click()
    _audit(page, "10-berita-artikel", problems)

    assert problems == {}, problems
