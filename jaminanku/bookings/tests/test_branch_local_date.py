"""A JHT-claim booking is judged on the chosen branch's own date: at 00:30 in Jayapura (WIT) it is still 22:30 of
the day before in Jakarta, and a member whose one-month waiting period ends that day may book at the Jayapura
branch — on the page and in the API alike — but not yet at a branch in WIB."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.bookings.models import Booking
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.contributions.tests.helpers import resigned_member
from jaminanku.offices.models import Office

pytestmark = pytest.mark.django_db
BOOK = "/antrian/baru/"
# 10 March 2026, 00:30 in Jayapura (UTC+9) = 9 March, 22:30 in Jakarta (UTC+7)
JUST_AFTER_MIDNIGHT_WIT = datetime(2026, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
LEFT_WORK_ON = date(2026, 2, 10)  # the one-month waiting period ends on 10 March 2026


@pytest.fixture
def clock():
    with time_machine.travel(JUST_AFTER_MIDNIGHT_WIT, tick=False):
        yield


@pytest.fixture
def jayapura(clock) -> Office:
    return Office.objects.create(
        code="KC9171", name="Kantor Cabang Jayapura", kind="kc", province_id="91", time_zone="Asia/Jayapura"
    )


@pytest.fixture
def claimant(clock):
    membership = resigned_member(first=date(2025, 2, 1), last=LEFT_WORK_ON, wage=4_000_000)
    return create_account_for_demo(
        person=membership.person, email="yohana.wenda@example.com", phone="+6281211110009", password=GOOD_PASSWORD
    )


def _choices(office: Office, **extra) -> dict:
    return {"layanan": "jht_claim", "provinsi": office.province_id, "kantor": office.code, **extra}


def test_a_wit_branch_takes_the_claim_on_its_own_date_on_the_page(client, claimant, jayapura):
    assert timezone.localdate() == date(2026, 3, 9)  # the server's own zone is Jakarta's
    client.force_login(claimant)
    page = client.get(BOOK, {"layanan": "jht_claim"}).content.decode()
    assert "Anda belum dapat memesan antrian klaim JHT." not in page and 'name="provinsi"' in page
    page = client.get(BOOK, _choices(jayapura)).content.decode()
    assert "Anda belum dapat memesan antrian klaim JHT." not in page
    day = first_free_day(jayapura)
    response = client.post(BOOK, _choices(jayapura, tanggal=day.isoformat(), jam=9))
    assert response.status_code == 302, response.content.decode()
    booking = Booking.objects.get(person=claimant.member_profile.person)
    assert booking.slot.office == jayapura and booking.service == "jht_claim" and booking.membership is not None


def test_the_page_and_the_api_give_one_answer_per_branch(client, claimant, jayapura, branch):
    client.force_login(claimant)
    token = issue_api_token(user=claimant, label="test")

    def page_refuses(office: Office) -> bool:
        return "Anda belum dapat memesan antrian klaim JHT." in client.get(BOOK, _choices(office)).content.decode()

    def api_booking(office: Office):
        payload = {"office": office.code, "day": first_free_day(office).isoformat(), "hour": 9}
        return client.post(
            "/api/v1/bookings/mine",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    # Bandung (WIB) is still on 9 March: both refuse and name the same day
    assert page_refuses(branch)
    assert "Klaim JHT dapat diajukan mulai 10/03/2026." in client.get(BOOK, _choices(branch)).content.decode()
    refused = api_booking(branch)
    assert refused.status_code == 400 and refused.json()["eligible_from"] == "2026-03-10"
    # Jayapura (WIT) is on 10 March: both allow
    assert not page_refuses(jayapura)
    assert api_booking(jayapura).status_code == 201
