"""The program pages on the smallest phone screen (360×640) in Debian's Chromium: each page with its sections, a
calculator submitted from the page answering on the same page, and no serious or critical axe-core violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(page) -> list[tuple[str, str]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_program_pages_and_their_calculators_on_a_small_phone(small_phone_page, live_server):
    from playwright.sync_api import expect

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    page, problems = small_phone_page, {}
    for code in ("JHT", "JKK", "JKM", "JP", "JKP"):
        page.goto(f"{live_server.url}/program/{code}/")
        for key in ("peserta", "manfaat", "tarif", "klaim", "dasar-hukum", "kalkulator"):
            expect(page.locator(f"#{key}")).to_be_visible()
        if found := _serious_violations(page):
            problems[code] = found

    page.goto(f"{live_server.url}/program/JKP/")
    calculator = page.locator("section#jkp")
    calculator.get_by_label("Upah terakhir sebulan (Rp)").fill("4000000")
    calculator.get_by_role("button", name="Hitung").click()
    expect(page).to_have_url(f"{live_server.url}/program/JKP/?hitung=jkp&jkp-wage=4000000#jkp")
    expect(page.locator("section#jkp table")).to_contain_text("Rp 2.400.000")  # 60 % of Rp4,000,000
    if found := _serious_violations(page):
        problems["JKP calculated"] = found
    assert not problems, problems
