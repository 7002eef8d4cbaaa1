"""Matching the four answers of the sign-up (name, date of birth, NIK, KPJ) and the chosen segment to one
registry person. One query; the name compares after `normalise_name`."""

from __future__ import annotations

from datetime import date

from jaminanku.registry.models import Membership, Person
from jaminanku.registry.validators import normalise_name

SIGNUP_SEGMENTS = ("PU", "BPU", "PMI")  # Jakon workers are registered by their projects, not here


def find_person(*, segment: str, full_name: str, date_of_birth: date, nik: str, kpj: str) -> Person | None:
    membership = (
        Membership.objects.select_related("person")
        .filter(kpj=kpj, segment=segment, person__nik=nik, person__date_of_birth=date_of_birth)
        .first()
    )
    if membership is None or normalise_name(membership.person.full_name) != normalise_name(full_name):
        return None
    return membership.person
