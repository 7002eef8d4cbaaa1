"""Migration 0008 (a contribution is its own JHT ledger line) on a ledger that has history: back to the old shape
(one entry per contribution, reversals pointing at those entries) and forward again, no balance moving."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.contributions.services import import_month, post_jht_claim, reverse_contribution
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reload_reference_data"),
]

OLD = [("contributions", "0007_account_room_for_updates")]


def _migrate(target: list[tuple[str, str]] | None) -> None:
    """Migrates to `target`, or with None to the latest of every app (going back to 0007 also unapplies the
    other apps' migrations that depend on it)."""
    executor = MigrationExecutor(connection)
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def test_contribution_entries_go_and_come_back_without_moving_a_balance():
    company, member = employer(), pu_member()
    for period in (month(2024, 1), month(2024, 2)):
        import_month(period=period, lines=[line(member, 5_000_000, npp=company.npp)])
    february = Contribution.objects.get(period=month(2024, 2))
    reverse_contribution(contribution=february, reason="upah salah")
    claim = post_jht_claim(membership=member, amount=85_000, paid_on=date(2024, 3, 10), reason="klaim")
    account = Account.objects.get(membership=member)
    assert account.balance == 285_000 - 85_000

    _migrate(OLD)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, amount, contribution_id, reverses_id FROM contributions_jhtentry ORDER BY value_date, id"
        )
        rows = cursor.fetchall()
    by_kind = {kind: row for row in rows for kind in [row[1]]}
    assert sorted(row[1] for row in rows) == ["claim", "contribution", "contribution", "reversal"]
    assert sum(amount for _id, _kind, amount, *_rest in rows) == account.balance
    # the old shape: the reversal points at the contribution's entry, not at the contribution
    february_entry = next(row[0] for row in rows if row[3] == february.pk and row[1] == "contribution")
    assert by_kind["reversal"][3:] == (None, february_entry)

    _migrate(None)
    reversal = JhtEntry.objects.get(kind="reversal")
    assert (reversal.contribution_id, reversal.reverses_id, reversal.amount) == (february.pk, None, -285_000)
    assert set(JhtEntry.objects.values_list("kind", flat=True)) == {"reversal", "claim"}
    assert JhtEntry.objects.get(kind="claim").pk == claim.pk
    assert Account.objects.get(membership=member).balance == account.balance
    assert find_unreconciled_accounts() == []
