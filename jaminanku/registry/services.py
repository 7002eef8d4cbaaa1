"""Writes to the registry. Validation is the models' own (field validators + clean()), so the admin, the
imports, the API and these services apply exactly the same rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event, snapshot
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import District, Employer, Employment, Membership, Person, Regency


class RegistryValidationError(DomainError):
    code = "registry_invalid"

    def __init__(self, error: ValidationError):
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        field = next(iter(messages))
        super().__init__(" ".join(messages[field]), field=None if field == "__all__" else field, errors=messages)


def _save_validated(instance: models.Model, *, actor: Any = None, action: str = "add") -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise RegistryValidationError(exc) from exc
    try:
        with transaction.atomic():
            instance.save()
            if actor is not None:
                record_event(action, instance=instance, before={}, after=snapshot(instance), actor=actor)
    except IntegrityError as exc:
        raise DomainError(_("Data ini sudah terdaftar."), code="duplicate") from exc


def register_person(
    *,
    nik: str,
    full_name: str,
    date_of_birth: date,
    sex: str,
    place_of_birth: str = "",
    mother_maiden_name: str = "",
    district: District | None = None,
    address: str = "",
    actor: Any = None,
) -> Person:
    person = Person(
        nik=nik.strip(),
        full_name=" ".join(full_name.split()),
        date_of_birth=date_of_birth,
        sex=sex,
        place_of_birth=place_of_birth,
        mother_maiden_name=mother_maiden_name,
        district=district,
        address=address,
    )
    _save_validated(person, actor=actor)
    return person


def register_membership(
    *, person: Person, kpj: str, segment: str, registered_on: date, jht_opted: bool = True, actor: Any = None
) -> Membership:
    membership = Membership(
        person=person, kpj=kpj.strip(), segment=segment, registered_on=registered_on, jht_opted=jht_opted
    )
    _save_validated(membership, actor=actor)
    return membership


def register_employer(
    *,
    npp: str,
    name: str,
    risk_class: int,
    regency: Regency | None = None,
    address: str = "",
    actor: Any = None,
    branch_office: Any = None,
) -> Employer:
    employer = Employer(
        npp=npp.strip(),
        name=name.strip(),
        risk_class=risk_class,
        regency=regency,
        address=address,
        branch_office=branch_office,
    )
    _save_validated(employer, actor=actor)
    return employer


def start_employment(*, membership: Membership, employer: Employer, start: date, actor: Any = None) -> Employment:
    employment = Employment(membership=membership, employer=employer, start=start)
    _save_validated(employment, actor=actor)
    return employment


def end_employment(*, employment: Employment, end: date, reason: str, actor: Any = None) -> Employment:
    with transaction.atomic():
        locked = Employment.objects.select_for_update().get(pk=employment.pk)
        before = snapshot(locked)
        locked.end, locked.end_reason = end, reason
        try:
            locked.full_clean()
        except ValidationError as exc:
            raise RegistryValidationError(exc) from exc
        locked.save(update_fields=["end", "end_reason"])
        if actor is not None:
            record_event("end_employment", instance=locked, before=before, after=snapshot(locked), actor=actor)
    return locked
