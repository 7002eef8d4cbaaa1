"""Builders for the claim desk's tests: branches (and the `bandung` fixture), staff posted to them, a member whose
work ended and a claim filed for them at the counter, claims already waiting for a decision, and a JHT-claim
booking checked in at the counter today."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.bookings.models import Booking, Service, Slot
from jaminanku.claims import desk
from jaminanku.claims.desk_selectors import office_today
from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.references import new_reference
from jaminanku.claims.transitions import record_start
from jaminanku.contributions.tests.helpers import resigned_member
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership
from jaminanku.registry.tests.factories import MembershipFactory
from jaminanku.staff.models import StaffPost
from jaminanku.staff.roles import SUPERVISOR

OFFICER = "Petugas cabang"
_serial = count(500)


def branch(code: str = "KC3273", name: str = "Kantor Cabang Bandung", time_zone: str = "Asia/Jakarta") -> Office:
    return Office.objects.create(code=code, name=name, kind="kc", province_id=code[2:4], time_zone=time_zone)


@pytest.fixture
def bandung() -> Office:
    return branch()


def staff(username: str, *, office: Office | None = None, role: str = OFFICER) -> User:
    """A staff user in the group `role`, posted to `office` if given (a supervisor needs no post)."""
    user = User.objects.create_user(username, password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if office is not None:
        StaffPost.objects.create(user=user, office=office)
    return user


def supervisor(username: str = "supervisor1") -> User:
    return staff(username, role=SUPERVISOR)


def member_with_account() -> Membership:
    """A membership whose person has an account (email and phone), so notices reach the outbox."""
    membership = MembershipFactory()
    n = next(_serial)
    create_account_for_demo(
        person=membership.person, email=f"desk{n}@example.com", phone=f"+62813{n:08d}", password=GOOD_PASSWORD
    )
    return membership


def email_of(membership: Membership) -> str:
    return str(membership.person.member_profile.email)


def waiting_claim(
    office: Office,
    *,
    gross: int = 10_000_000,
    state: str = JhtClaim.State.IN_REVIEW,
    due_on: date | None = None,
    submitted_at: datetime | None = None,
    membership: Membership | None = None,
    prepared_by: User | None = None,
) -> JhtClaim:
    """A full claim of a member with an account, submitted to `office` and waiting for a decision."""
    membership = membership or member_with_account()
    submitted_at = submitted_at or timezone.now()
    claim = JhtClaim.objects.create(
        reference=new_reference(),
        person=membership.person,
        membership=membership,
        kind=JhtClaim.Kind.FULL,
        ground=JhtClaim.Ground.RESIGNATION,
        channel=JhtClaim.Channel.BRANCH if prepared_by else JhtClaim.Channel.ONLINE,
        state=state,
        office=office,
        gross=gross,
        tax=jht_tax(gross),
        bank_code="002",
        account_number="0123456789",
        account_holder=membership.person.full_name,
        submitted_at=submitted_at,
        due_on=due_on or office_today(office) + timedelta(days=3),
        prepared_by=prepared_by,
        auto_decision={"approved": False, "reasons": [{"code": "above_threshold", "text": "Di atas batas online."}]},
    )
    record_start(claim, actor="peserta")
    return claim


def checked_in(person: Any, office: Office, membership: Membership | None = None, code: str = "BDG2345A") -> Booking:
    """A JHT-claim booking of `person` at `office` today, checked in at the counter."""
    slot = Slot.objects.create(office=office, day=office_today(office), hour=9, capacity=20, booked=1)
    return Booking.objects.create(
        code=code,
        person=person,
        membership=membership,
        service=Service.JHT_CLAIM,
        slot=slot,
        status=Booking.Status.CHECKED_IN,
    )


def ended_member(*, days_ago: int = 60, reason: str = "resignation") -> Membership:
    """A member who worked a little over a year on Rp4,000,000 and whose work ended `days_ago` days ago."""
    today = timezone.localdate()
    return resigned_member(
        first=today.replace(day=1) - timedelta(days=400),
        last=today - timedelta(days=days_ago),
        wage=4_000_000,
        reason=reason,
    )


def counter_claim(membership: Membership, *, officer: User, office: Office, documents: Any, **extra: Any) -> JhtClaim:
    """A full claim filed at `office` by `officer` for `membership`, paid to an account in the member's name."""
    bank = {"bank_code": "014", "account_number": "8800112233", "account_holder": membership.person.full_name}
    return desk.open_branch_claim(
        person=membership.person,
        membership=membership,
        kind="full",
        officer=officer,
        office=office,
        documents=documents,
        **{"bank": bank, **extra},
    )
