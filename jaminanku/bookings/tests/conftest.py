"""Fixtures for the queue pages: a Bandung branch, members with an account (one who may claim JHT now, one who
resigned days ago and must wait), each able to log in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.bookings.calendar import free_days
from jaminanku.contributions.tests.helpers import resigned_member
from jaminanku.offices.models import Office
from jaminanku.registry.models import Person


@dataclass
class Member:
    person: Person
    user: User
    email: str
    phone: str
    password: str = GOOD_PASSWORD


def make_member(*, email: str, phone: str, ended_days_ago: int) -> Member:
    """A PU member who worked for a year and resigned `ended_days_ago` days ago (claimable after one month)."""
    today = timezone.localdate()
    last = today - timedelta(days=ended_days_ago)
    first = (last - timedelta(days=365)).replace(day=1)
    membership = resigned_member(first=first, last=last, wage=4_000_000)
    user = create_account_for_demo(person=membership.person, email=email, phone=phone, password=GOOD_PASSWORD)
    return Member(membership.person, user, email, phone)


@pytest.fixture
def branch(db) -> Office:
    return Office.objects.create(
        code="KC3273",
        name="Kantor Cabang Bandung",
        kind="kc",
        province_id="32",
        address="Jl. Soekarno-Hatta 1",
        time_zone="Asia/Jakarta",
        queue_capacity=3,
    )


@pytest.fixture
def other_branch(db) -> Office:
    return Office.objects.create(
        code="KC7371", name="Kantor Cabang Makassar", kind="kc", province_id="73", time_zone="Asia/Makassar"
    )


@pytest.fixture
def member(db) -> Member:
    return make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)


@pytest.fixture
def waiting_member(db) -> Member:
    return make_member(email="agus.salim@example.com", phone="+6281211110002", ended_days_ago=5)


def first_free_day(office: Office) -> date:
    return free_days(office)[0][0]
