"""reconcile_ledger proves claim entries and paid claims match one to one, both ways: a claim entry without a
paid claim, a paid claim whose entry is not its gross, are reported and the command exits non-zero."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaminanku.claims.models import DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim
from jaminanku.contributions.ledger import post_jht_claim
from jaminanku.contributions.models import JhtEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


@pytest.fixture
def paid(finance):
    claims = [approved_claim(), approved_claim()]
    batch = create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=finance)
    apply_result_file(batch, sample_result_csv(batch), finance)
    return [JhtClaim.objects.get(pk=c.pk) for c in claims]


def test_paid_claims_and_their_entries_reconcile(paid, capsys):
    call_command("reconcile_ledger")
    out = capsys.readouterr().out
    assert "cocok" in out and "tepat satu mutasi klaim" in out


def test_a_claim_entry_without_a_claim_is_reported(paid, capsys):
    other = approved_claim()  # its balance, paid out at the counter with no claim recorded
    entry = post_jht_claim(membership=other.membership, amount=1_000, paid_on=date(2026, 8, 1), reason="tanpa klaim")
    with pytest.raises(CommandError) as err:
        call_command("reconcile_ledger")
    out = capsys.readouterr().out
    assert f"Mutasi klaim {entry.pk}" in out and other.membership.kpj in out
    assert "1 klaim dan mutasi klaim" in str(err.value)


def test_a_paid_claim_whose_entry_is_not_its_gross_is_reported(paid, capsys):
    claim = paid[0]
    JhtClaim.objects.filter(pk=claim.pk).update(gross=claim.gross + 1, tax=0)
    with pytest.raises(CommandError):
        call_command("reconcile_ledger")
    out = capsys.readouterr().out
    assert f"Klaim {claim.reference}" in out and str(claim.gross + 1) in out
    assert JhtEntry.objects.filter(kind="claim").count() == 2
