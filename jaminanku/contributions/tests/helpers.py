"""Small builders for contributions tests, on top of the shared registry factories."""

from __future__ import annotations

from datetime import date

from jaminanku.contributions.imports import WageLine
from jaminanku.registry.models import Employer, Membership
from jaminanku.registry.tests.factories import EmployerFactory, MembershipFactory


def pu_member(**kwargs: object) -> Membership:
    return MembershipFactory(segment="PU", **kwargs)


def employer(risk_class: int = 1, **kwargs: object) -> Employer:
    return EmployerFactory(risk_class=risk_class, **kwargs)


def line(membership: Membership, wage: object, *, npp: str = "", row: int = 0, **extra: object) -> WageLine:
    """A correct wage line for `membership` (its KPJ, NIK and name)."""
    return WageLine(
        kpj=membership.kpj,
        nik=membership.person.nik,
        name=membership.person.full_name,
        wage=wage,
        npp=npp,
        row_number=row,
        **extra,
    )


def month(year: int, month_: int) -> date:
    return date(year, month_, 1)
