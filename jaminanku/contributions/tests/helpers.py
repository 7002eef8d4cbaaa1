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


def resigned_member(*, first: date, last: date, wage: int, reason: str = "resignation") -> Membership:
    """A PU member who worked from `first` to `last` (inclusive months, all posted) and then left."""
    from jaminanku.contributions.imports import import_month
    from jaminanku.contributions.periods import add_months
    from jaminanku.registry.tests.factories import EmploymentFactory

    membership = pu_member(registered_on=first)
    firm = employer()
    EmploymentFactory(membership=membership, employer=firm, start=first, end=last, end_reason=reason)
    period = first.replace(day=1)
    while period <= last:
        import_month(period=period, lines=[line(membership, wage, npp=firm.npp)])
        period = add_months(period, 1)
    return membership
