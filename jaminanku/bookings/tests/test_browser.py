"""A member books a queue slot in a real browser (Chromium through Playwright) against a live server: logs in,
chooses service, province, branch, a day on the calendar and an hour, and sees the booking code and its QR; on
the day, a branch officer types the code on the staff queue page and the member is checked in."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from jaminanku.accounts.tests.helpers import browser_second_step
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.tests.conftest import first_free_day, make_member
from jaminanku.offices.models import Office
from jaminanku.staff.models import StaffPost

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reload_reference_data")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_books_a_slot_sees_the_qr_and_staff_checks_the_booking_in(phone_page, live_server, django_user_model):
    page = phone_page
    from playwright.sync_api import expect

    member = make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    branch = Office.objects.create(
        code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32", time_zone="Asia/Jakarta"
    )
    day = first_free_day(branch)
    base = live_server.url

    page.goto(base + "/antrian/")  # the login comes first, then back here
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Kata sandi", exact=True).fill(member.password)
    page.get_by_role("button", name="MASUK").click()
    browser_second_step(page, member.email)  # a browser new to the login: the code from the email
    expect(page).to_have_url(base + "/antrian/")
    page.get_by_role("link", name="Buat booking antrian").click()

    page.get_by_label("Klaim JHT").check()
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("2. Provinsi").select_option("32")
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("3. Kantor cabang").select_option("KC3273")
    page.get_by_role("button", name="Lanjut").click()
    page.locator(f'label[for="tgl-{day.isoformat()}"]').click()
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label(re.compile(r"^10:00–11:00")).check()
    page.get_by_role("button", name="Pesan antrian").click()

    expect(page).to_have_url(re.compile(r"/antrian/[A-Z0-9]{8}/$"))
    code = Booking.objects.get(person=member.person).code
    expect(page.get_by_test_id("booking-code")).to_have_text(code)
    expect(page.get_by_text("Booking berhasil.")).to_be_visible()
    qr = page.get_by_role("img", name=f"QR kode booking {code}")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=qr.element_handle())  # PNG loaded

    # the day of the visit (the test cannot wait for the calendar): the slot moves to today
    booking = Booking.objects.select_related("slot").get(code=code)
    Slot.objects.filter(pk=booking.slot_id).update(day=timezone.localdate())
    officer = django_user_model.objects.create_user(
        "petugas_bandung", "petugas.bandung@example.com", "Petugas-Bandung-2026", is_staff=True
    )
    officer.groups.add(Group.objects.get(name="Petugas cabang"))
    StaffPost.objects.create(user=officer, office=branch)
    page.context.clear_cookies()
    page.goto(base + "/admin/login/?next=/staf/antrian/")
    page.locator("#id_username").fill("petugas_bandung")
    page.locator("#id_password").fill("Petugas-Bandung-2026")
    page.locator("input[type=submit]").click()
    browser_second_step(page, "petugas.bandung@example.com")  # staff take the same second step
    expect(page).to_have_url(re.compile(r"/staf/antrian/"))
    page.get_by_label("Ketik atau pindai kode booking").fill(code.lower())
    page.get_by_role("button", name="Hadir", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"{code} hadir")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
