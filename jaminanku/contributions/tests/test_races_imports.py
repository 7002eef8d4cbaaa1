"""Fifty imports of the same wage report at the same moment post it once; twenty crediting runs of one year at the
same moment credit each account once. On PostgreSQL real threads, each with its own connection, released by a
barrier; SQLite has one writer at a time, so there the same runs go one after another with the same assertions."""

import threading
from datetime import date

import pytest
from django.db import connection

from jaminanku.contributions.crediting import credit_development
from jaminanku.contributions.imports import import_month, import_wage_lines
from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import Account, Contribution, CreditingRun, JhtEntry, WageReport
from jaminanku.contributions.tests.helpers import employer, line, pu_member

pytestmark = pytest.mark.usefixtures("reload_reference_data")
MAY_2024 = date(2024, 5, 1)


def _all_at_once(targets):
    """Runs every target, concurrently on PostgreSQL; returns their results in order. Any exception fails."""
    results, errors = [None] * len(targets), []
    if connection.vendor != "postgresql":
        return [target() for target in targets]
    start = threading.Barrier(len(targets))

    def run(n):
        try:
            start.wait()
            results[n] = targets[n]()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_imports_of_one_wage_report_post_it_once():
    company = employer()
    members = [pu_member() for _ in range(5)]
    lines = [line(m, 4_000_000, npp=company.npp, row=n + 2) for n, m in enumerate(members)]
    # the same report through both entry points: the employer's upload and the month-wide import
    by_employer = [lambda: [import_wage_lines(npp=company.npp, period=MAY_2024, lines=lines)]] * 25
    month_wide = [lambda: import_month(period=MAY_2024, lines=lines)] * 25
    results = [r for batch in _all_at_once(by_employer + month_wide) for r in batch]

    assert sum(r.rows_posted for r in results) == 5
    assert sum(r.rows_duplicate for r in results) == 5 * 49
    assert sum(r.rows_rejected for r in results) == 0
    assert Contribution.objects.count() == 5
    assert not JhtEntry.objects.exists()
    # JHT 5.7 % of 4,000,000 = 228,000, once per member
    assert list(Account.objects.values_list("balance", flat=True)) == [228_000] * 5
    assert WageReport.objects.count() == 50  # every attempt is on record, with what it did
    assert find_unreconciled_accounts() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_crediting_runs_for_one_year_credit_each_account_once():
    company = employer()
    members = [pu_member() for _ in range(4)]
    import_month(period=date(2024, 6, 1), lines=[line(m, 5_000_000, npp=company.npp) for m in members])
    runs = _all_at_once([lambda: credit_development(year=2024, chunk_size=2)] * 20)

    assert len(runs) == 20 and all(run.finished_at for run in runs)
    assert JhtEntry.objects.filter(kind="development").count() == 4
    assert sum(CreditingRun.objects.values_list("accounts_credited", flat=True)) == 4
    assert find_unreconciled_accounts() == []
    # 285,000 × 6 × 0.067 / 12 = 9,547.5 → 9,548 each, credited once
    assert list(Account.objects.values_list("development_total", flat=True)) == [9_548] * 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_crediting_over_two_connections_credits_every_account_once_by_hand(capsys):
    from django.core.management import call_command

    company = employer()
    members = [pu_member() for _ in range(7)]
    import_month(period=date(2024, 6, 1), lines=[line(m, 5_000_000, npp=company.npp) for m in members])

    # one account per transaction, two transactions at a time (PostgreSQL; SQLite takes them one by one)
    call_command("credit_development", "2024", "--chunk-size", "1", "--connections", "2", "--no-progress")

    # 285,000 × 6 × 0.067 / 12 = 9,547.5 → 9,548 each
    assert list(Account.objects.values_list("development_total", flat=True)) == [9_548] * 7
    assert CreditingRun.objects.get().accounts_credited == 7
    assert find_unreconciled_accounts() == []
    assert "7 rekening dikreditkan" in capsys.readouterr().out
