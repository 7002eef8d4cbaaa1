"""Registry writes validate the same way from every entry point and are audited when staff act."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from jaminanku.audit.models import AuditEvent
from jaminanku.core.errors import DomainError
from jaminanku.registry import services
from jaminanku.registry.models import Employment, Person
from jaminanku.registry.tests.factories import EmployerFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_register_person_flags_nik_with_other_birth_date():
    person = services.register_person(
        nik="3201011708850001", full_name="  Budi   Santoso ", date_of_birth=date(1985, 8, 18), sex="M"
    )
    assert person.nik_flagged is True
    assert person.full_name == "Budi Santoso"


def test_register_person_rejects_serial_0000_with_translated_message():
    with pytest.raises(DomainError) as err:
        services.register_person(nik="3201011708850000", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")
    assert err.value.field == "nik"
    assert "0000" in str(err.value.message)
    assert not Person.objects.exists()


def test_register_person_twice_is_a_duplicate():
    services.register_person(nik="3201011708850001", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")
    with pytest.raises(DomainError):
        services.register_person(nik="3201011708850001", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")


@pytest.mark.parametrize("kpj", ["1234567890", "123456789012", "1234567890a"])
def test_kpj_must_be_11_digits(kpj):
    person = PersonFactory()
    with pytest.raises(DomainError) as err:
        services.register_membership(person=person, kpj=kpj, segment="PU", registered_on=date(2020, 1, 1))
    assert err.value.field == "kpj"


def test_npp_must_be_8_digits():
    with pytest.raises(DomainError):
        services.register_employer(npp="1234567", name="PT A", risk_class=1)


def test_a_person_may_hold_several_kpjs():
    person = PersonFactory()
    for kpj in ["11111111111", "22222222222"]:
        services.register_membership(person=person, kpj=kpj, segment="PU", registered_on=date(2020, 1, 1))
    assert person.memberships.count() == 2


def test_database_refuses_two_open_employments_for_one_membership():
    membership = MembershipFactory()
    employer = EmployerFactory()
    services.start_employment(membership=membership, employer=employer, start=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(membership=membership, employer=employer, start=date(2021, 1, 1))


def test_ending_employment_needs_a_reason_and_is_audited():
    staff = get_user_model().objects.create_user("officer", password="x-unused-x", is_staff=True)
    employment = services.start_employment(
        membership=MembershipFactory(), employer=EmployerFactory(), start=date(2020, 1, 1)
    )
    with pytest.raises(DomainError):
        services.end_employment(employment=employment, end=date(2021, 1, 1), reason="", actor=staff)
    services.end_employment(employment=employment, end=date(2021, 1, 1), reason="resignation", actor=staff)
    event = AuditEvent.objects.get(action="end_employment")
    assert event.actor == staff
    assert event.before == {"end": None, "end_reason": ""}
    assert event.after == {"end": "2021-01-01", "end_reason": "resignation"}


def test_end_before_start_is_rejected():
    employment = services.start_employment(
        membership=MembershipFactory(), employer=EmployerFactory(), start=date(2020, 1, 1)
    )
    with pytest.raises(DomainError):
        services.end_employment(employment=employment, end=date(2019, 12, 31), reason="resignation")
