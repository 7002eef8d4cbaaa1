"""Callbacks racing each other: Xendit may deliver the same payout's callback twice at once, and the two heirs'
payments of a death claim may be confirmed at the same moment. On PostgreSQL real concurrent settlements (each
thread its own connection), on SQLite (one writer at a time) the same assertions serially: the claim is posted
exactly once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jaminanku.claims.models import DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import create_batch, settle_disbursement
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim, death_claim
from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.testing import run_at_once

pytestmark = [pytest.mark.usefixtures("reload_reference_data", "private_files")]

private_files = payout_fixtures.private_files


def _race(targets: list[Callable[[], object]]) -> None:
    assert run_at_once(targets) == ["ok"] * len(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_callback_twice_at_once_posts_the_claim_once():
    claim = approved_claim()
    create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=None)
    key = f"{claim.reference}-member-1"
    _race([lambda: settle_disbursement(idempotency_key=key, succeeded=True)] * 4)
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
    assert claim.events.filter(state_to="paid").count() == 1
    assert find_unreconciled_accounts() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_heirs_confirmed_at_once_post_the_claim_once():
    claim = death_claim()
    create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=None)
    keys = [f"{claim.reference}-heir-{heir.pk}-1" for heir in claim.heirs.order_by("pk")]
    _race([lambda key=key: settle_disbursement(idempotency_key=key, succeeded=True) for key in keys])
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry.amount == -claim.gross
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
