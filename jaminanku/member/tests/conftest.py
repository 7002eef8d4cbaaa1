"""A member with an account and some history, a second member whose data the first must never see, and a member
with two KPJs whose JHT was claimed (part of one, all of the other)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from django.contrib.auth.models import User

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.claims.services import pay_jht_claim
from jaminanku.contributions.services import credit_development, import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.member.selectors_home import forget_headlines
from jaminanku.registry.models import Membership
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

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


@pytest.fixture(autouse=True)
def _fresh_headlines():
    """The home page keeps the headlines it read for half a minute in the process; a test's articles are gone
    with its transaction, which no signal tells."""
    forget_headlines()
    yield
    forget_headlines()


@pytest.fixture
def member(db) -> Member:
    return make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)])


@pytest.fixture
def other_member(db) -> Member:
    return make_member(start=date(2024, 6, 1), months=[month(2024, m) for m in range(6, 13)], wage=7_000_000)


@pytest.fixture
def claimant():
    """KPJ `working` (since 2014, Rp5,000,000 a month through 2025, 2025 development credited, a 30 % partial
    claim paid on 10/02/2026) and KPJ `left` (Jan–Jun 2024, resigned, the whole balance claimed on 01/08/2024)."""
    working = pu_member(registered_on=date(2014, 1, 1))
    EmploymentFactory(membership=working, employer=(firm := employer()), start=date(2014, 1, 1))
    for m in range(1, 13):
        import_month(period=month(2025, m), lines=[line(working, 5_000_000, npp=firm.npp)])
    left = MembershipFactory(person=working.person, segment="PU", registered_on=date(2024, 1, 1))
    EmploymentFactory(
        membership=left,
        employer=(old := employer()),
        start=date(2024, 1, 1),
        end=date(2024, 6, 30),
        end_reason="resignation",
    )
    for m in range(1, 7):
        import_month(period=month(2024, m), lines=[line(left, 5_000_000, npp=old.npp)])
    pay_jht_claim(membership=left, kind="full", paid_on=date(2024, 8, 1))
    credit_development(year=2025)
    pay_jht_claim(membership=working, kind="partial_30", paid_on=date(2026, 2, 10))
    user = create_account_for_demo(
        person=working.person, email="klaim@contoh.id", phone="081200009999", password=PASSWORD
    )
    return user, working, left
