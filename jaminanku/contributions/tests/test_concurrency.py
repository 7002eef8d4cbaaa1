"""Imports and crediting committed chunk by chunk, and racing each other: on PostgreSQL two real concurrent runs,
on SQLite (one writer at a time) the same assertions serially. Nothing posts or credits twice and the ledger
reconciles."""

from datetime import date

import pytest

from jaminanku.contributions.crediting import credit_development
from jaminanku.contributions.imports import import_month
from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import Account, Contribution, CreditingRun, JhtEntry
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.core.testing import run_at_once

MARCH_2024 = date(2024, 3, 1)


pytestmark = pytest.mark.usefixtures("reload_reference_data")


def _race(target, count=2):
    """`count` runs of `target` at once (one after another on SQLite, which has one writer at a time)."""
    assert run_at_once([target] * count) == ["ok"] * count


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chunks_commit_separately_and_a_racing_second_import_posts_nothing(monkeypatch):
    monkeypatch.setattr("jaminanku.contributions.imports.CHUNK_ROWS", 3)
    monkeypatch.setattr("jaminanku.contributions.imports.SET_BASED_CHUNK_ROWS", 3)
    company = employer()
    members = [pu_member() for _ in range(8)]
    lines = [line(m, 4_000_000, npp=company.npp) for m in members]
    results: list = []
    _race(lambda: results.extend(import_month(period=MARCH_2024, lines=lines)))
    assert sum(r.rows_posted for r in results) == 8
    assert sum(r.rows_duplicate for r in results) == 8
    assert Contribution.objects.count() == 8
    assert not JhtEntry.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) == {228_000}
    assert find_unreconciled_accounts() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_runs_credit_each_account_once():
    company = employer()
    members = [pu_member() for _ in range(6)]
    import_month(period=date(2024, 6, 1), lines=[line(m, 5_000_000, npp=company.npp) for m in members])
    _race(lambda: credit_development(year=2024, chunk_size=2), count=3)
    assert JhtEntry.objects.filter(kind="development").count() == 6
    assert sum(CreditingRun.objects.values_list("accounts_credited", flat=True)) == 6
    assert find_unreconciled_accounts() == []
    # 285,000 × 6 × 0.067 / 12 = 9,547.5 → 9,548 each
    assert set(Account.objects.values_list("development_total", flat=True)) == {9_548}
