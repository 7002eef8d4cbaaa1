"""The seed's 17 steps in a real browser (Chromium through Playwright) against a live server: the member opens the
app, chooses "Buat Akun Baru", answers one question per screen reading the codes from the outbox, lands on the
home page logged in, then logs out and in again (a code to the email: the browser is new to the login)."""

import re
from datetime import date, timedelta

import pytest
from django.db.models import F

from jaminanku.accounts.models import OneTimeCode
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, browser_second_step, code_sent_to, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]
EMAIL = "rina.wulandari@example.com"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_walks_all_seventeen_steps_then_logs_out_and_in_again(phone_page, live_server):
    page = phone_page
    from playwright.sync_api import expect

    worker = make_worker(full_name="Rina Wulandari", date_of_birth=date(1995, 7, 21), sex="F", kpj="88845678901")
    base = live_server.url

    def next_button(label: str):
        return page.locator("form.stack button[type=submit]", has_text=label)

    # 1–4: open the app, LOGIN, then "Buat Akun Baru"
    page.goto(base + "/masuk/")
    page.get_by_role("link", name="Buat Akun Baru").click()
    expect(page).to_have_url(re.compile(r"/daftar/"))
    # 5: email → SELANJUTNYA
    page.get_by_label("Email").fill(EMAIL)
    next_button("SELANJUTNYA").click()
    # 6–7: the code from the email → VERIFIKASI
    expect(page).to_have_url(re.compile(r"/daftar/kode-email/$"))
    page.get_by_label("Kode verifikasi").fill(code_sent_to(EMAIL))
    next_button("VERIFIKASI").click()
    # 8: Pilih Kepesertaan → PU
    expect(page.get_by_role("heading", name="Pilih Kepesertaan")).to_be_visible()
    page.get_by_label(re.compile(r"Penerima Upah \(PU\)")).check()
    next_button("SELANJUTNYA").click()
    # 9: full name
    page.get_by_label("Nama lengkap sesuai KTP").fill("rina  WULANDARI")
    next_button("SELANJUTNYA").click()
    # 10: date of birth
    page.get_by_label("Tanggal lahir sesuai e-KTP").fill("1995-07-21")
    next_button("SELANJUTNYA").click()
    # 11: NIK — first a typo, which is refused at once and kept on screen, then the right one
    page.get_by_label(re.compile("NIK")).fill("123")
    next_button("SELANJUTNYA").click()
    expect(page.get_by_text("NIK harus terdiri dari tepat 16 angka.")).to_be_visible()
    expect(page.get_by_label(re.compile("NIK"))).to_have_value("123")
    page.get_by_label(re.compile("NIK")).fill(worker.person.nik)
    next_button("SELANJUTNYA").click()
    # 12: KPJ; "Kembali" once to check the NIK is kept, then on
    expect(page).to_have_url(re.compile(r"/daftar/kpj/$"))
    page.get_by_role("button", name="Kembali").click()
    expect(page.get_by_label(re.compile("NIK"))).to_have_value(worker.person.nik)
    next_button("SELANJUTNYA").click()
    page.get_by_label(re.compile("KPJ")).fill(worker.membership.kpj)
    next_button("SELANJUTNYA").click()
    # 13: mobile number
    page.get_by_label("Nomor HP").fill("0812-3456-7001")
    next_button("SELANJUTNYA").click()
    # 14–15: the SMS code → VERIFIKASI
    expect(page).to_have_url(re.compile(r"/daftar/kode-sms/$"))
    page.get_by_label("Kode verifikasi").fill(code_sent_to("+6281234567001"))
    next_button("VERIFIKASI").click()
    # 16: a password of at least 8 characters, with a strength hint while typing
    password = page.get_by_label("Kata sandi", exact=True)
    password.press_sequentially("abc")
    expect(page.locator(".strength")).to_contain_text("Terlalu pendek")
    password.fill("")
    password.press_sequentially(GOOD_PASSWORD)
    expect(page.locator(".strength")).to_contain_text("Kuat")
    next_button("DAFTAR").click()
    # 17: done — logged in on the home page
    expect(page).to_have_url(base + "/")
    expect(page.get_by_text("Selamat, akun Anda sudah aktif.")).to_be_visible()
    expect(page.get_by_text("Selamat datang")).to_be_visible()

    # log out, and in again
    page.goto(base + "/keluar/")
    page.get_by_role("button", name="KELUAR").click()
    # a minute later (the sign-up's email code is no longer "just sent", so a login code may go out)
    OneTimeCode.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    page.goto(base + "/masuk/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Kata sandi", exact=True).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="MASUK").click()
    browser_second_step(page, EMAIL)
    expect(page).to_have_url(base + "/")
    expect(page.get_by_text("Selamat datang")).to_be_visible()
