"""A member with an account and some history, and a second member whose data the first must never see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from django.contrib.auth.models import User

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.registry.models import Membership
from jaminanku.registry.tests.factories import EmploymentFactory

PASSWORD = "Kopi-Tubruk-2024!"
_phones = count(812_0000_1000)


@dataclass
class Member:
    user: User
    membership: Membership

    @property
    def kpj(self) -> str:
        return self.membership.kpj


def make_member(*, start: date, months: list[date], wage: int = 5_000_000) -> Member:
    membership = pu_member()
    firm = employer(risk_class=2)
    EmploymentFactory(membership=membership, employer=firm, start=start)
    for period in months:
        import_month(period=period, lines=[line(membership, wage, npp=firm.npp)])
    user = create_account_for_demo(
        person=membership.person,
        email=f"peserta{membership.pk}@contoh.id",
        phone=f"0{next(_phones)}",
        password=PASSWORD,
    )
    return Member(user=user, membership=membership)


@pytest.fixture
def member(db) -> Member:
    return make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)])


@pytest.fixture
def other_member(db) -> Member:
    return make_member(start=date(2024, 6, 1), months=[month(2024, m) for m in range(6, 13)], wage=7_000_000)
