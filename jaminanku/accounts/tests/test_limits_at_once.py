"""Guesses sent at the same moment get no more checks than the limit allows: identity guesses on one sign-up
(5 per flow), on many sign-ups from one address (20 per address), and wrong current passwords on one account
(5 per 15 minutes). The limit and the check are one step on a locked row, so the guesses queue.

On PostgreSQL every guess runs in its own thread with its own connection, all released at once by a barrier;
SQLite serialises writers, so there the same guesses run one after another with the same assertion."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable

import pytest
from django.utils import timezone

from jaminanku.accounts import services
from jaminanku.accounts.code_starts import refuse_too_many_code_starts
from jaminanku.accounts.models import FailureCount, SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.core.errors import DomainError
from jaminanku.core.testing import run_at_once

pytestmark = pytest.mark.usefixtures("reload_reference_data")
Step = SignupFlow.Step


def _at_once(attempts: list[Callable[[], object]]) -> Counter[str]:
    """How many attempts, run at the same moment, came to "ok" and to each error's code."""
    return Counter(run_at_once(attempts))


def _flow_at_kpj_step(worker, n: int) -> SignupFlow:
    return SignupFlow.objects.create(
        id=secrets.token_urlsafe(32),
        step=Step.KPJ,
        email=f"siti{n}@example.com",
        email_verified=True,
        segment="PU",
        full_name=worker.person.full_name,
        date_of_birth=worker.person.date_of_birth,
        nik=worker.person.nik,
        last_activity_at=timezone.now(),
    )


def _guess(flow_id: str, n: int, address: str) -> Callable[[], object]:
    return lambda: signup.give_kpj(flow=flow_id, kpj=f"9{n:010d}", client_ip=address)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_identity_guesses_at_once_on_one_signup_get_five_registry_checks(worker):
    flow = _flow_at_kpj_step(worker, 0)
    outcomes = _at_once([_guess(flow.pk, n, f"203.0.113.{n}") for n in range(30)])
    # every guess is wrong, so each registry check answered identity_mismatch
    assert outcomes == {"identity_mismatch": 5, "identity_rate_limited": 25}
    # and the right answer is refused too, now that the flow used its five
    with pytest.raises(DomainError) as refused:
        signup.give_kpj(flow=flow.pk, kpj=worker.membership.kpj, client_ip="198.51.100.1")
    assert refused.value.code == "identity_rate_limited"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_identity_guesses_at_once_from_one_address_get_twenty_registry_checks(worker):
    flows = [_flow_at_kpj_step(worker, n) for n in range(30)]
    outcomes = _at_once([_guess(flow.pk, n, "203.0.113.99") for n, flow in enumerate(flows)])
    assert outcomes == {"identity_mismatch": 20, "identity_rate_limited": 10}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_current_password_guesses_at_once_get_five_checks(registered):
    user = registered.worker.person.member_profile.user

    def guess(n: int) -> Callable[[], object]:
        return lambda: services.change_password(
            user=user, current_password=f"tebakan-{n}-salah", new_password=GOOD_PASSWORD
        )

    outcomes = _at_once([guess(n) for n in range(20)])
    assert outcomes == {"password_wrong": 5, "password_rate_limited": 15}
    user.refresh_from_db()
    assert user.check_password(registered.password)  # nothing was changed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_code_starts_at_once_from_one_address_send_five(settings):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "5/h"
    outcomes = _at_once([lambda: refuse_too_many_code_starts(client_ip="203.0.113.7") for _ in range(20)])
    assert outcomes == {"ok": 5, "code_starts_per_address": 15}
    # counted in the database row every process shares, not in one process's cache
    assert list(FailureCount.objects.values_list("failures", flat=True)) == [5]
