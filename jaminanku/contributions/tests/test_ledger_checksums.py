"""The ledger's checksums (`contributions.checksums`, `manage.py ledger_checksums`) and the proof, at small size,
that the set-based crediting statement on PostgreSQL gives every account the same base as the portable formula,
to the rupiah (the 20,000-person comparison is in bench/README.md)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from jaminanku.contributions.checksums import ledger_checksums
from jaminanku.contributions.crediting import (
    _bases_postgresql,
    _recent_lines_query,
    analyze_if_stale,
    credit_development,
)
from jaminanku.contributions.imports import import_month
from jaminanku.contributions.ledger import post_jht_claim, reverse_contribution
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    """Six members of two employers with different wages from Nov 2022 to Mar 2025 (some months missing), 2023
    credited, a claim in 2024, a reversed contribution of 2024 and one of 2025."""
    companies = [employer(risk_class=1), employer(risk_class=3)]
    members = [pu_member() for _ in range(6)]
    wages = [4_100_000, 5_000_000, 7_333_333, 12_000_001, 2_750_500, 9_999_999]
    first, through = month(2022, 11), month(2025, 3)
    lines = []
    for index, (member, wage) in enumerate(zip(members, wages, strict=True)):
        company = companies[index % 2]
        current = first
        while current <= through:
            if (current.month + index) % 5:  # a gap now and then
                lines.append(line(member, wage + current.month, npp=company.npp, period=current))
            current = month(current.year + current.month // 12, current.month % 12 + 1)
    results = import_month(period=first, through=through, lines=lines)
    assert sum(r.rows_posted for r in results) == len(lines)
    credit_development(year=2023)
    post_jht_claim(membership=members[1], amount=150_000, paid_on=date(2024, 9, 20), reason="klaim sebagian")
    for period in (month(2024, 4), month(2025, 2)):
        contribution = Contribution.objects.filter(membership=members[2], period=period).first()
        if contribution is not None:
            reverse_contribution(contribution=contribution, reason="salah upah")
    return members


def _portable_bases(year: int, low: int, high: int) -> dict[int, int]:
    """base12 of the accounts of memberships low..high by the portable statement (SQLite's)."""
    sql, params = _recent_lines_query(year=year, low=low, high=high)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        adjust = {account_id: (int(adj), credited) for account_id, adj, credited in cursor.fetchall()}
    accounts = Account.objects.filter(membership_id__gte=low, membership_id__lte=high)
    return {
        account_id: 12 * balance + adjust.get(account_id, (0, 0))[0]
        for account_id, balance in accounts.values_list("id", "balance")
        if adjust.get(account_id, (0, 0))[1] == 0
    }


def _membership_ranges(parts: int) -> list[tuple[int, int]]:
    """The accounts' memberships split into `parts` ranges of ids, as chunks are."""
    ids = sorted(Account.objects.values_list("membership_id", flat=True))
    size = -(-len(ids) // parts)
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


@pytest.mark.postgres_only  # the set-based statement is PostgreSQL's
@pytest.mark.parametrize("parts", [1, 4])
@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_postgresql_bases_equal_the_portable_formula(ledger, year, parts):
    ours, portable = {}, {}
    for low, high in _membership_ranges(parts):
        accounts = list(
            Account.objects.filter(membership_id__gte=low, membership_id__lte=high).values_list("id", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                _bases_postgresql(),
                {
                    "dec31": date(year, 12, 31),
                    "jan1": date(year, 1, 1),
                    "development": JhtEntry.Kind.DEVELOPMENT.value,
                    "low": low,
                    "high": high,
                    "accounts": accounts,
                },
            )
            ours.update({account_id: int(base12) for account_id, base12 in cursor.fetchall()})
        portable.update(_portable_bases(year, low, high))
    assert ours == portable
    assert len(ours) == (len(ledger) if year != 2023 else 0)  # 2023 is credited already


@pytest.mark.postgres_only  # PostgreSQL's statistics
def test_analyze_if_stale_names_only_the_ledger_tables(ledger):
    tables = {Account._meta.db_table, Contribution._meta.db_table, JhtEntry._meta.db_table}
    analyzed = analyze_if_stale([Account, Contribution, JhtEntry])
    assert all(name in tables or name.startswith(tuple(tables)) for name in analyzed)


def test_checksums_see_one_rupiah_and_ignore_times(ledger):
    before = ledger_checksums()
    assert before["contributions"].rows == Contribution.objects.count()
    assert before["accounts"].total == sum(Account.objects.values_list("balance", flat=True))
    Contribution.objects.update(posted_at="2030-01-01T00:00:00Z")  # times are left out
    assert ledger_checksums() == before
    one = Contribution.objects.filter(reversed_at__isnull=True).order_by("id").first()
    Contribution.objects.filter(pk=one.pk).update(jkm=one.jkm + 1)
    changed = ledger_checksums()
    assert changed["contributions"].digest != before["contributions"].digest
    assert (changed["accounts"], changed["entries"]) == (before["accounts"], before["entries"])


def test_crediting_a_year_moves_the_checksums_exactly_by_its_development(ledger):
    before = ledger_checksums()
    run = credit_development(year=2024)
    after = ledger_checksums()
    assert run.accounts_credited == len(ledger)
    assert after["accounts"].total - before["accounts"].total == run.total_credited
    assert after["entries"].rows - before["entries"].rows == run.accounts_credited
    assert after["contributions"] == before["contributions"]


def test_crediting_in_chunks_gives_the_same_ledger(ledger):
    """One chunk of every membership, one per membership, or two memberships each (`_bases_postgresql`): the
    same developments and the same ledger either way."""
    results = []
    for chunk_size in (1_000, 1, 2):
        with transaction.atomic():
            run = credit_development(year=2024, chunk_size=chunk_size)
            developments = sorted(
                JhtEntry.objects.filter(crediting_run=run).values_list("account__membership_id", "amount")
            )
            results.append((run.total_credited, developments, ledger_checksums()["accounts"]))
            transaction.set_rollback(True)
    assert len(results[0][1]) == len(ledger)
    assert results[0] == results[1] == results[2]


def test_command_prints_every_part():
    out = StringIO()
    call_command("ledger_checksums", stdout=out)
    assert [text.split(":")[0] for text in out.getvalue().splitlines()] == [
        "accounts",
        "contributions",
        "entries",
        "wage_reports",
    ]
