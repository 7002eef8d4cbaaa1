"""Registry rules live on the models (field validators, clean() and database constraints), so the admin and the
imports apply the same ones: full_clean() is what the admin's forms run before they save."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jaminanku.registry.models import Employer, Employment, Membership, Person
from jaminanku.registry.tests.factories import EmployerFactory, EmploymentFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_person_with_nik_of_other_birth_date_is_flagged():
    person = Person(nik="3201011708850001", full_name="Budi Santoso", date_of_birth=date(1985, 8, 18), sex="M")
    person.full_clean()
    assert person.nik_flagged is True


def test_nik_serial_0000_is_refused_with_translated_message():
    person = Person(nik="3201011708850000", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")
    with pytest.raises(ValidationError) as err:
        person.full_clean()
    assert "0000" in " ".join(err.value.message_dict["nik"])


def test_second_person_with_the_same_nik_is_refused():
    Person.objects.create(nik="3201011708850001", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")
    twin = Person(nik="3201011708850001", full_name="Budi", date_of_birth=date(1985, 8, 17), sex="M")
    with pytest.raises(ValidationError) as err:
        twin.full_clean()
    assert "nik" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.parametrize("kpj", ["1234567890", "123456789012", "1234567890a"])
def test_kpj_must_be_11_digits(kpj):
    membership = Membership(person=PersonFactory(), kpj=kpj, segment="PU", registered_on=date(2020, 1, 1))
    with pytest.raises(ValidationError) as err:
        membership.full_clean()
    assert "kpj" in err.value.message_dict


def test_npp_must_be_8_digits():
    with pytest.raises(ValidationError) as err:
        Employer(npp="1234567", name="PT A", risk_class=1).full_clean()
    assert "npp" in err.value.message_dict


def test_a_person_may_hold_several_kpjs():
    person = PersonFactory()
    for kpj in ["11111111111", "22222222222"]:
        membership = Membership(person=person, kpj=kpj, segment="PU", registered_on=date(2020, 1, 1))
        membership.full_clean()
        membership.save()
    assert person.memberships.count() == 2


def test_database_refuses_two_open_employments_for_one_membership():
    employment = EmploymentFactory(start=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(membership=employment.membership, employer=EmployerFactory(), start=date(2021, 1, 1))


def test_ending_employment_needs_a_reason():
    employment = EmploymentFactory(membership=MembershipFactory(), start=date(2020, 1, 1))
    employment.end = date(2021, 1, 1)
    with pytest.raises(ValidationError) as err:
        employment.full_clean()
    assert "end_reason" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        employment.save()
    employment.end_reason = Employment.EndReason.values[0]
    employment.full_clean()
    employment.save()


def test_end_before_start_is_refused():
    employment = EmploymentFactory(start=date(2020, 1, 1))
    employment.end, employment.end_reason = date(2019, 12, 31), Employment.EndReason.values[0]
    with pytest.raises(ValidationError) as err:
        employment.full_clean()
    assert "end" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        employment.save()
