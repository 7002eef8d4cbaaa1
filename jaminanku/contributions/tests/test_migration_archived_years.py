"""Migration 0013 (the sums an archived year leaves, `contributions.archive`) on a database with a year detached
before it: the year's sums are made from its detached tables, so its balances reconcile at once (PostgreSQL)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from jaminanku.contributions import partitions
from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import Account, ArchivedYearTotal
from jaminanku.contributions.services import import_month, post_jht_claim
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reload_reference_data"),
]


def _migrate(target: list[tuple[str, str]] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def test_a_year_detached_before_the_migration_gets_its_sums():
    company, member = employer(), pu_member()
    for period in (month(2023, 11), month(2023, 12), month(2024, 1)):
        import_month(period=period, lines=[line(member, 5_000_000, npp=company.npp)])
    post_jht_claim(membership=member, amount=85_000, paid_on=date(2023, 12, 20), reason="klaim")
    account = Account.objects.get(membership=member)

    _migrate([("contributions", "0012_contribution_reversal_unique_where_set")])
    with transaction.atomic(), connection.cursor() as cursor:
        partitions.detach_year(cursor, 2023)  # as `ledger_partitions detach` did before 0013: no sums kept
    _migrate(None)
    try:
        total = ArchivedYearTotal.objects.get()
        assert (total.account_id, total.year, total.lines) == (account.pk, 2023, 3)
        assert total.amount == 2 * 285_000 - 85_000
        assert find_unreconciled_accounts() == []
    finally:
        call_command("ledger_partitions", "attach", "2023")  # the claims' key validated again, as `migrate` left it
    assert not ArchivedYearTotal.objects.exists()
    assert find_unreconciled_accounts() == []
