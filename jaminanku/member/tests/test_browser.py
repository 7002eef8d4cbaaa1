"""A demo member in a real browser (Chromium through Playwright, a phone-sized window): logs in, sees the JHT
balance, downloads the Rincian Saldo PDF and the PNG card, decodes the card's QR from the image and verifies it,
then opens the card page again with the network gone."""

import re
import subprocess

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from jaminanku.accounts.tests.helpers import browser_second_step
from jaminanku.demo.identity import demo_member_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_member_balance_statement_card_and_offline_card(phone_page, live_server, tmp_path):
    from playwright.sync_api import expect

    page = phone_page
    call_command("seed_demo", persons=40, seed=7, accounts=1)
    login = demo_member_login()
    assert login is not None
    base = live_server.url

    page.goto(base + "/masuk/")
    page.get_by_label("Email").fill(login["email"])
    page.get_by_label("Kata sandi", exact=True).fill(login["password"])
    page.get_by_role("button", name="MASUK").click()
    browser_second_step(page, login["email"])  # a browser new to the login: the code from the email
    expect(page).to_have_url(base + "/")
    expect(page.get_by_test_id("total-balance")).to_have_text(re.compile(r"^Rp \d{1,3}(\.\d{3})*$"))

    # the statement PDF, all years
    page.get_by_role("link", name="Rincian saldo per tahun").first.click()
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Unduh PDF semua tahun").click()
    pdf = tmp_path / "rincian.pdf"
    pdf_download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rincian Saldo JHT" in text

    # the card as PNG; its QR decodes to the verification page, which says the card is genuine
    page.get_by_role("link", name="Kartu", exact=True).click()
    expect(page.locator("img.card-image").first).to_be_visible()
    with page.expect_download() as png_download:
        page.get_by_role("link", name="Unduh PNG").first.click()
    png = tmp_path / "kartu.png"
    png_download.value.save_as(png)
    [qr] = zxingcpp.read_barcodes(Image.open(png))
    assert "/verify/" in qr.text
    page.goto(base + "/verify/" + qr.text.split("/verify/", 1)[1])
    expect(page.locator("main")).to_contain_text("asli")

    # offline: once the service worker controls the page, the card page opens without a network
    page.goto(base + "/kartu/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.reload()  # fetched through the service worker, which keeps a copy
    expect(page.locator("img.card-image").first).to_be_visible()
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("img.card-image").first).to_be_visible()
    expect(page.locator(".offline-banner")).to_be_visible()
    expect(page.locator(".updated")).to_contain_text("Data per")
    assert page.evaluate("document.querySelector('img.card-image').naturalWidth") > 0
