"""Fifty sign-ups of one person reaching the last step at the same moment end with exactly one account; the
other forty-nine get `already_registered` and land on "data sudah terdaftar".

On PostgreSQL the fifty run as real threads, each with its own connection, so the unique constraints decide;
SQLite serialises writers, so there the same fifty attempts run one after another with the same assertion."""

import secrets

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.core.testing import run_at_once

pytestmark = pytest.mark.usefixtures("reload_reference_data")
Step = SignupFlow.Step
ATTEMPTS = 50


def _flow_at_password_step(worker, n: int) -> SignupFlow:
    return SignupFlow.objects.create(
        id=secrets.token_urlsafe(32),
        step=Step.PASSWORD,
        email=f"siti{n}@example.com",
        email_verified=True,
        segment="PU",
        full_name=worker.person.full_name,
        date_of_birth=worker.person.date_of_birth,
        nik=worker.person.nik,
        kpj=worker.membership.kpj,
        person=worker.person,
        phone=f"+62812987654{n:02d}",
        phone_verified=True,
        last_activity_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_signups_of_one_person_make_exactly_one_account(worker):
    flows = [_flow_at_password_step(worker, n) for n in range(ATTEMPTS)]
    outcomes = run_at_once(
        [lambda flow_id=f.pk: signup.set_password(flow=flow_id, password=GOOD_PASSWORD) for f in flows]
    )

    assert sorted(outcomes) == ["already_registered"] * (ATTEMPTS - 1) + ["ok"]
    assert MemberProfile.objects.filter(person=worker.person).count() == 1
    assert User.objects.count() == 1  # the losers' logins were rolled back with them
    steps = list(SignupFlow.objects.values_list("step", flat=True))
    assert steps.count(Step.DONE) == 1 and steps.count(Step.REGISTERED) == ATTEMPTS - 1
