"""The JHT ledger partitioned by year on PostgreSQL (migration 0011, `contributions.partitions`): where the lines go,
that the reads of one month or year touch one partition (EXPLAIN), that the widened unique keys still refuse what
the plain ones refused, and `manage.py ledger_partitions` (create ahead, detach and attach a year)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jaminanku.contributions import partitions
from jaminanku.contributions.crediting import credit_development
from jaminanku.contributions.imports import import_month
from jaminanku.contributions.ledger import find_unreconciled_accounts, post_jht_claim, reverse_contribution
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.member.selectors import statement

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

PARTITION = re.compile(r"contributions_(?:contribution|jhtentry)_(y\d{4}|default)\b")


def _scanned(plan: str) -> set[str]:
    return set(PARTITION.findall(plan))


def _explain(sql: str, params: list[object]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _where(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def member():
    company, membership = employer(), pu_member()
    for period in (month(2023, 12), month(2024, 1), month(2024, 2)):
        import_month(period=period, lines=[line(membership, 5_000_000, npp=company.npp)])
    return membership


def test_both_ledger_tables_are_partitioned_by_year_up_to_two_years_ahead():
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        attached = {child for _parent, child, _bounds in partitions.partitions(cursor)}
        for ledger in partitions.TABLES:
            assert partitions.is_partitioned(cursor, ledger.table)
            for wanted in (partitions.FIRST_YEAR, year, year + partitions.AHEAD, None):
                assert partitions.partition_name(ledger, wanted) in attached


def test_each_line_lands_in_the_partition_of_its_year(member):
    february = Contribution.objects.get(period=month(2024, 2))
    assert _where("contributions_contribution", february.pk) == "contributions_contribution_y2024"
    claim = post_jht_claim(membership=member, amount=10_000, paid_on=date(2023, 12, 20), reason="klaim")
    assert _where("contributions_jhtentry", claim.pk) == "contributions_jhtentry_y2023"
    credit_development(year=2024)
    development = JhtEntry.objects.get(kind="development")
    assert _where("contributions_jhtentry", development.pk) == "contributions_jhtentry_y2024"
    old = Contribution.objects.create(membership=member, period=date(1999, 1, 1), wage=1)
    assert _where("contributions_contribution", old.pk) == "contributions_contribution_default"
    assert find_unreconciled_accounts() == []


def test_a_months_posting_a_years_crediting_and_a_years_statement_read_one_partition(member):
    period = month(2024, 2)
    sql, params = (
        Contribution.objects.filter(period=period).values("membership_id", "employer_id").query.sql_with_params()
    )
    assert _scanned(_explain(sql, list(params))) == {"y2024"}
    # the once-a-month guard a posting checks, as INSERT … ON CONFLICT or a look-up does
    guard = "SELECT 1 FROM contributions_contribution WHERE period = %s AND membership_id = %s AND reversed_at IS NULL"
    assert _scanned(_explain(guard, [period, member.pk])) == {"y2024"}
    # a year's crediting reads that year's lines
    lines = "SELECT account_id, SUM(amount) FROM contributions_jhtentry WHERE value_date BETWEEN %s AND %s GROUP BY 1"
    assert _scanned(_explain(lines, [date(2024, 1, 1), date(2024, 12, 31)])) == {"y2024"}
    # a member's statement of one year
    account = Account.objects.get(membership=member)
    entries = JhtEntry.objects.filter(
        account=account, value_date__gte=date(2024, 1, 1), value_date__lte=date(2024, 12, 31)
    )
    sql, params = entries.query.sql_with_params()
    assert _scanned(_explain(sql, list(params))) == {"y2024"}
    sql, params = Contribution.objects.filter(
        membership=member, period__gte=date(2024, 1, 1), period__lte=date(2024, 12, 31)
    ).query.sql_with_params()
    assert _scanned(_explain(sql, list(params))) == {"y2024"}
    assert [line.value_date for line in statement(member, year=2024).lines] == [month(2024, 1), month(2024, 2)]


def test_the_widened_unique_keys_refuse_what_the_plain_ones_did(member):
    account = Account.objects.get(membership=member)
    claim = post_jht_claim(membership=member, amount=10_000, paid_on=date(2024, 2, 20), reason="klaim")
    reversal = {"account": account, "kind": "reversal", "value_date": claim.value_date, "amount": 0}
    JhtEntry.objects.create(reverses=claim, **reversal)
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(reverses=claim, **reversal)
    reverse_contribution(contribution=Contribution.objects.get(period=month(2024, 1)), reason="salah")
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(
            account=account,
            kind="reversal",
            value_date=month(2024, 1),
            amount=0,
            contribution=Contribution.objects.get(period=month(2024, 1)),
        )
    development = {"account": account, "kind": "development", "year": 2024, "value_date": date(2024, 12, 31)}
    JhtEntry.objects.create(amount=0, **development)
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(amount=0, **development)
    # a correction by hand dated earlier in the year is the year's development too …
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(amount=0, **{**development, "value_date": date(2024, 6, 30)})
    # … which holds because a development entry is dated within its year
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(amount=0, **{**development, "value_date": date(2025, 1, 1)})


@pytest.mark.parametrize(
    "wrong",
    [
        # … a reversal keeps the value date of the entry it reverses …
        lambda claim, contribution: {"reverses": claim, "value_date": date(2024, 2, 21)},
        # … a contribution's reversal is dated its period …
        lambda claim, contribution: {"contribution": contribution, "value_date": date(2023, 12, 1)},
    ],
)
def test_a_reversal_dated_otherwise_than_what_it_reverses_is_refused_at_commit(member, wrong):
    account = Account.objects.get(membership=member)
    claim = post_jht_claim(membership=member, amount=10_000, paid_on=date(2024, 2, 20), reason="klaim")
    contribution = Contribution.objects.get(period=month(2024, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(account=account, kind="reversal", amount=0, **wrong(claim, contribution))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the commit would check


def test_create_ahead_and_one_year_moving_its_lines_out_of_default(member, capsys):
    old = Contribution.objects.create(membership=member, period=date(2005, 3, 1), wage=1)
    account = Account.objects.get(membership=member)
    entry = JhtEntry.objects.create(
        account=account, kind="reversal", value_date=date(2005, 3, 1), amount=0, contribution=old
    )
    call_command("ledger_partitions", "create", "--year", "2005")
    assert _where("contributions_contribution", old.pk) == "contributions_contribution_y2005"
    assert _where("contributions_jhtentry", entry.pk) == "contributions_jhtentry_y2005"
    call_command("ledger_partitions", "create", "--ahead", "5")
    year = timezone.localdate().year
    assert "Created: " + ", ".join(str(y) for y in range(year + 3, year + 6)) in capsys.readouterr().out
    call_command("ledger_partitions", "create")
    assert "Nothing to create." in capsys.readouterr().out
    # ids go on from the sequence, across partitions
    newer = Contribution.objects.create(membership=member, period=date(year + 5, 1, 1), wage=1)
    assert newer.pk > old.pk
    assert _where("contributions_contribution", newer.pk) == f"contributions_contribution_y{year + 5}"


def test_a_closed_year_detaches_as_plain_tables_and_attaches_again(member, capsys):
    before = find_unreconciled_accounts()
    assert before == []
    call_command("ledger_partitions", "detach", "2023")
    assert "Detached 2023" in capsys.readouterr().out
    assert not Contribution.objects.filter(period=month(2023, 12)).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM contributions_contribution_y2023")
        assert cursor.fetchone() == (1,)
    with pytest.raises(CommandError, match="not attached"):
        call_command("ledger_partitions", "detach", "2023")
    # a late month of the detached year, posted and then reversed, goes to DEFAULT …
    newcomer = pu_member()
    import_month(period=month(2023, 5), lines=[line(newcomer, 5_000_000, npp=employer().npp)])
    late = Contribution.objects.get(membership=newcomer, period=month(2023, 5))
    reverse_contribution(contribution=late, reason="salah")
    reversal = JhtEntry.objects.get(contribution=late)
    assert _where("contributions_contribution", late.pk) == "contributions_contribution_default"
    assert _where("contributions_jhtentry", reversal.pk) == "contributions_jhtentry_default"
    call_command("reconcile_ledger")  # … where it counts beside the year's sums
    # the detached year counts by the sums it left (contributions.archive, member/tests/test_archived_years.py)
    call_command("reconcile_ledger")
    call_command("ledger_partitions", "attach", "2023")
    # … and the attach moves it into the year
    assert _where("contributions_contribution", late.pk) == "contributions_contribution_y2023"
    assert _where("contributions_jhtentry", reversal.pk) == "contributions_jhtentry_y2023"
    call_command("reconcile_ledger")
    assert Contribution.objects.filter(period=month(2023, 12)).exists()
    assert find_unreconciled_accounts() == []
