"""factory_boy factories for registry objects, shared by every app's tests.

NIKs are built from a real district code (320101, Cibinong, Kab. Bogor) and agree with the birth date and sex.
"""

from __future__ import annotations

from datetime import date

import factory

from jaminanku.registry.models import Employer, Employment, Membership, Person, Segment


def nik_for(date_of_birth: date, sex: str, serial: int, district: str = "320101") -> str:
    day = date_of_birth.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{date_of_birth.month:02d}{date_of_birth.year % 100:02d}{serial:04d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Budi Santoso {chr(65 + n % 26)}{n}")
    date_of_birth = date(1990, 5, 17)
    sex = "M"
    place_of_birth = "Bogor"
    mother_maiden_name = "Siti Aminah"
    nik = factory.LazyAttributeSequence(lambda o, n: nik_for(o.date_of_birth, o.sex, n % 9999 + 1))
    district_id = "320101"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    npp = factory.Sequence(lambda n: f"{10000000 + n}")
    name = factory.Sequence(lambda n: f"PT Maju Jaya {n}")
    risk_class = 1


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    kpj = factory.Sequence(lambda n: f"{10000000000 + n}")
    person = factory.SubFactory(PersonFactory)
    segment = Segment.PU
    registered_on = date(2015, 1, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    membership = factory.SubFactory(MembershipFactory)
    employer = factory.SubFactory(EmployerFactory)
    start = date(2015, 1, 1)
