"""The staff dashboard shows each role what it works on: today's queue per branch (a branch officer only their
own), open and overdue account-reset requests, and the last imports and crediting runs with their results."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import AccountResetRequest
from jaminanku.bookings.models import Booking, Slot
from jaminanku.contributions.models import CreditingRun, WageReport
from jaminanku.offices.models import Office
from jaminanku.registry.tests.factories import PersonFactory
from jaminanku.staff.tests.helpers import login_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    today = timezone.localdate()
    bandung = Office.objects.create(code="KC3273X", name="KC Bandung Uji", kind="kc", province_id="32")
    surabaya = Office.objects.create(code="KC3578X", name="KC Surabaya Uji", kind="kc", province_id="35")
    for office, codes in ((bandung, ["BDG00001", "BDG00002"]), (surabaya, ["SBY00001"])):
        slot = Slot.objects.create(office=office, day=today, hour=9, capacity=20, booked=len(codes))
        for n, code in enumerate(codes):
            status = Booking.Status.SERVED if n == 1 else Booking.Status.BOOKED
            Booking.objects.create(code=code, person=PersonFactory(), service="jht_claim", slot=slot, status=status)
    now = timezone.now()
    for number, office, due in (("R-OVERDUE-1", bandung, today - timedelta(days=2)), ("R-SBY-1", surabaya, today)):
        AccountResetRequest.objects.create(
            tracking_number=number,
            person=PersonFactory(),
            contact_email="a@contoh.id",
            contact_phone="+6281234567890",
            received_at=now,
            due_on=due,
            office=office,
        )
    WageReport.objects.create(npp="12345678", period=date(2026, 10, 1), rows_total=10, rows_posted=8, rows_rejected=2)
    CreditingRun.objects.create(year=2025, rate_ppm=60_000, accounts_credited=1234, total_credited=5_000_000)
    return bandung, surabaya


def _login(client, django_user_model, role, office=None):
    login_with_role(client, django_user_model, role, office)
    return client.get("/staf/").content.decode()


def test_supervisor_sees_every_branch_the_overdue_request_imports_and_crediting(client, django_user_model, board):
    page = _login(client, django_user_model, "Supervisor")
    assert "KC Bandung Uji" in page and "KC Surabaya Uji" in page
    assert "2 terbuka, 1 terlambat" in page and "R-OVERDUE-1" in page and "TERLAMBAT" in page
    assert 'id="impor"' in page and "10/2026" in page
    assert 'id="pengembangan"' in page and "Rp 5.000.000" in page


def test_branch_officer_sees_only_their_branch_queue_and_requests(client, django_user_model, board):
    bandung, _ = board
    page = _login(client, django_user_model, "Petugas cabang", office=bandung)
    assert "KC Bandung Uji" in page and "KC Surabaya Uji" not in page
    assert "R-OVERDUE-1" in page and "R-SBY-1" not in page and "1 terbuka, 1 terlambat" in page
    assert 'id="impor"' not in page and 'id="pengembangan"' not in page


def test_content_editor_sees_no_queue_requests_or_ledger(client, django_user_model, board):
    page = _login(client, django_user_model, "Editor konten")
    assert 'id="antrian"' not in page and 'id="reset-akun"' not in page and 'id="impor"' not in page


def test_members_and_visitors_are_sent_to_the_staff_login(client, django_user_model):
    response = client.get("/staf/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
