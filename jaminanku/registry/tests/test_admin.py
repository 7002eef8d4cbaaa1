"""The back office: search by NIK, KPJ, NPP and name; writes are audited with before/after values."""

from datetime import date

import pytest

from jaminanku.audit.models import AuditEvent
from jaminanku.registry.models import Person
from jaminanku.registry.tests.factories import EmployerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_person_search_by_nik_kpj_and_name(staff_client):
    membership = MembershipFactory(person__full_name="Siti Rahayu")
    person = membership.person
    for term in [person.nik, membership.kpj, "Rahayu"]:
        response = staff_client.get("/admin/registry/person/", {"q": term})
        assert response.status_code == 200
        assert person.nik in response.content.decode(), term


def test_employer_search_by_npp(staff_client):
    employer = EmployerFactory(name="PT Sinar Abadi")
    response = staff_client.get("/admin/registry/employer/", {"q": employer.npp})
    assert "PT Sinar Abadi" in response.content.decode()


def test_admin_add_person_validates_nik_and_audits(staff_client):
    data = {
        "nik": "3201011708850000",
        "full_name": "Andi",
        "date_of_birth": "17/08/1985",
        "sex": "M",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = staff_client.post("/admin/registry/person/add/", data)
    assert response.status_code == 200 and "0000" in response.content.decode()
    assert not Person.objects.exists()

    data["nik"] = "3201011708850001"
    response = staff_client.post("/admin/registry/person/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert person.date_of_birth == date(1985, 8, 17)
    event = AuditEvent.objects.get(action="add", object_type="registry.Person")
    assert event.actor_label == "supervisor" and event.after["nik"] == "3201011708850001"


def test_admin_change_records_before_and_after(staff_client):
    person = MembershipFactory().person
    data = {
        "nik": person.nik,
        "full_name": "Nama Baru",
        "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
        "sex": person.sex,
        "district": person.district_id,
        "place_of_birth": person.place_of_birth,
        "mother_maiden_name": person.mother_maiden_name,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    staff_client.post(f"/admin/registry/person/{person.pk}/change/", data)
    event = AuditEvent.objects.get(action="change")
    assert event.before == {"full_name": person.full_name} and event.after == {"full_name": "Nama Baru"}
