"""Each staff role can do its work in the back office and nothing else; branch officers see only their branch."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from jaminanku.bookings.models import Booking, Slot
from jaminanku.offices.models import Office
from jaminanku.registry.tests.factories import PersonFactory
from jaminanku.staff.tests.helpers import login_with_role

pytestmark = pytest.mark.django_db


def _login(client, django_user_model, role, office=None):
    login_with_role(client, django_user_model, role, office)
    return client


def test_roles_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Petugas registri", "Keuangan", "Petugas cabang", "Editor konten", "Supervisor"} <= names


def test_content_editor_cannot_open_the_registry(client, django_user_model):
    _login(client, django_user_model, "Editor konten")
    assert client.get("/admin/registry/person/").status_code == 403
    assert client.get("/admin/programs/benefitfigure/").status_code == 200


def test_registry_officer_works_the_registry_but_not_the_ledger(client, django_user_model):
    _login(client, django_user_model, "Petugas registri")
    assert client.get("/admin/registry/person/").status_code == 200
    assert client.get("/admin/contributions/contributionrate/").status_code == 403


def test_finance_uploads_wage_reports_but_cannot_edit_persons(client, django_user_model):
    _login(client, django_user_model, "Keuangan")
    assert client.get("/admin/contributions/wagereport/").status_code == 200
    assert client.get("/admin/registry/person/add/").status_code == 403


def test_branch_officer_sees_only_their_branch_queue(client, django_user_model):
    bandung = Office.objects.create(code="KC3273", name="KC Bandung", kind="kc", province_id="32")
    surabaya = Office.objects.create(code="KC3578", name="KC Surabaya", kind="kc", province_id="35")
    for office, code in [(bandung, "BDG00001"), (surabaya, "SBY00001")]:
        slot = Slot.objects.create(office=office, day=date(2026, 12, 1), hour=9, booked=1)
        Booking.objects.create(code=code, person=PersonFactory(), service="jht_claim", slot=slot)
    _login(client, django_user_model, "Petugas cabang", office=bandung)
    html = client.get("/admin/bookings/booking/").content.decode()
    assert "BDG00001" in html and "SBY00001" not in html
    other = Booking.objects.get(code="SBY00001")
    assert client.get(f"/admin/bookings/booking/{other.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/registry/person/").status_code == 403


def test_supervisor_sees_every_branch_and_the_audit_log(client, django_user_model):
    _login(client, django_user_model, "Supervisor")
    assert client.get("/admin/bookings/booking/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 200
