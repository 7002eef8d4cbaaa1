"""One open claim per member, however many requests arrive at once: 100 starts for one member leave one draft,
and 100 submissions of that draft submit and decide it once.

On PostgreSQL the 100 run as real threads, each with its own connection, and the database constraint
one_open_claim_per_person (with the claim's row lock for submissions) is what stops them; SQLite serialises
writers, so there the same attempts run one after another and the assertions are the same."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jaminanku.claims import online
from jaminanku.claims.models import ClaimEvent, JhtClaim
from jaminanku.claims.tests.online_helpers import claim_files, claimant, ready_draft  # noqa: F401
from jaminanku.core.testing import run_at_once

pytestmark = [pytest.mark.usefixtures("reload_reference_data", "claim_files")]
ATTEMPTS = 100


def _race(attempt: Callable[[], object]) -> list[str]:
    return run_at_once([attempt] * ATTEMPTS)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hundred_starts_at_once_leave_one_open_claim():
    who = claimant()
    outcomes = _race(lambda: online.start_claim(person=who.person, membership=who.membership, kind="full"))
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("open_claim_exists") == ATTEMPTS - 1
    assert JhtClaim.objects.filter(person=who.person, state__in=JhtClaim.OPEN_STATES).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hundred_submissions_at_once_submit_once():
    who = claimant()
    claim = ready_draft(who)

    def submit() -> None:
        online.submit_claim(claim=JhtClaim.objects.get(pk=claim.pk), declaration=True)

    outcomes = _race(submit)
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("claim_state") == ATTEMPTS - 1
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED
    assert ClaimEvent.objects.filter(claim=claim, state_to="submitted").count() == 1
    assert JhtClaim.objects.filter(person=who.person, state__in=JhtClaim.OPEN_STATES).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bank_form_sent_twenty_times_at_once_keeps_one_account_and_no_error():
    """A double (or twentyfold) tap on the account form's button: one account, every answer a success."""
    from jaminanku.claims.models import PayoutAccount
    from jaminanku.claims.payout_accounts import set_payout_account

    who = claimant()
    outcomes = run_at_once(
        [
            lambda: set_payout_account(
                person=who.person, bank_code="002", account_number="0123456789", account_holder=who.person.full_name
            )
        ]
        * 20
    )
    assert outcomes == ["ok"] * 20
    assert PayoutAccount.objects.filter(person=who.person).count() == 1
