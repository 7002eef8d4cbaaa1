"""Yearly development crediting: the RULES.md method worked by hand, idempotent re-runs, chunks, and races."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jaminanku.contributions.crediting import CHUNK_ACCOUNTS, credit_development
from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.ledger import find_unreconciled_accounts, post_jht_claim, reverse_contribution
from jaminanku.contributions.management.commands.credit_development import Command as CreditDevelopmentCommand
from jaminanku.contributions.models import Account, Contribution, CreditingRun, JhtEntry
from jaminanku.contributions.selectors import jht_balance_for
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _post(company, member, *periods, wage=5_000_000):
    for period in periods:
        result = import_wage_lines(npp=company.npp, period=period, lines=[line(member, wage)])
        assert result.rows_posted == 1


@pytest.fixture
def history():
    """Wage 5,000,000 → JHT 285,000 a month (185,000 + 100,000). Nov and Dec 2023 make the opening balance of
    2024; 2024 has Jan, Jun and Dec, and a claim of 100,000 paid in September."""
    company = employer()
    member = pu_member()
    _post(company, member, date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 6, 1), date(2024, 12, 1))
    post_jht_claim(membership=member, amount=100_000, paid_on=date(2024, 9, 20), reason="klaim sebagian")
    return member


def test_development_of_one_year_by_hand(history):
    # opening 1/1/2024 = 2 × 285,000 = 570,000
    # base12 = 12 × 570,000 + 285,000 × (12 − 1) + 285,000 × (12 − 6) + 285,000 × (12 − 12) − 100,000 × (12 − 9 + 1)
    #        = 6,840,000 + 3,135,000 + 1,710,000 + 0 − 400,000 = 11,285,000
    # 2024 rate 6.70 %: 11,285,000 × 0.067 / 12 = 63,007.916… → 63,008
    run = credit_development(year=2024)
    assert (run.accounts_credited, run.total_credited, run.rate_ppm) == (1, 63_008, 67_000)
    entry = JhtEntry.objects.get(kind="development")
    assert (entry.year, entry.value_date, entry.amount, entry.crediting_run) == (2024, date(2024, 12, 31), 63_008, run)
    # 570,000 + 3 × 285,000 − 100,000 + 63,008
    assert jht_balance_for(history) == 1_388_008
    assert Account.objects.get(membership=history).development_total == 63_008
    assert find_unreconciled_accounts() == []


def test_second_crediting_run_credits_nothing(history):
    credit_development(year=2024)
    again = credit_development(year=2024)
    assert (again.accounts_credited, again.total_credited) == (0, 0)
    assert JhtEntry.objects.filter(kind="development").count() == 1
    assert jht_balance_for(history) == 1_388_008


def test_development_compounds_into_next_year(history):
    credit_development(year=2024)
    # 2025: no movements; opening 1,388,008 (incl. the 2024 development dated 31/12/2024)
    # 1,388,008 × 0.067 = 92,996.536 → 92,997
    run = credit_development(year=2025)
    assert run.total_credited == 92_997


def test_a_reversal_takes_the_weighting_of_what_it_reverses(history):
    june = Contribution.objects.get(membership=history, period=date(2024, 6, 1))
    reverse_contribution(contribution=june, reason="upah salah lapor")
    # base12 = 11,285,000 − 285,000 × 6 = 9,575,000; × 0.067 / 12 = 53,460.416… → 53,460
    assert credit_development(year=2024).total_credited == 53_460


def test_chunked_run_gives_the_same_result(history):
    other = pu_member()
    _post(employer(), other, date(2024, 6, 1), wage=4_000_000)
    # other: 228,000 × (12 − 6) × 0.067 / 12 = 7,638
    run = credit_development(year=2024, chunk_size=1)
    assert run.total_credited == 63_008 + 7_638
    assert jht_balance_for(other) == 228_000 + 7_638


def test_a_development_written_by_hand_for_the_year_is_not_credited_again(history):
    # A correction entered for 2024 and dated mid-year: the run's check for "already credited" looks for the
    # development of 31 December, so it is the unique (account, year) that keeps this account from a second one,
    # and the other member in the same chunk is still credited.
    other = pu_member()
    _post(employer(), other, date(2024, 6, 1), wage=4_000_000)
    account = Account.objects.get(membership=history)
    JhtEntry.objects.create(
        account=account,
        kind="development",
        year=2024,
        value_date=date(2024, 6, 30),
        development_amount=1_000,
        amount=1_000,
        note="koreksi manual",
    )
    Account.objects.filter(pk=account.pk).update(balance=account.balance + 1_000, development_total=1_000)
    run = credit_development(year=2024)
    assert (run.accounts_credited, run.total_credited) == (1, 7_638)  # the other member, as in the chunked test
    assert JhtEntry.objects.filter(account=account, kind="development").count() == 1
    assert jht_balance_for(history) == 570_000 + 3 * 285_000 - 100_000 + 1_000
    assert jht_balance_for(other) == 228_000 + 7_638
    assert find_unreconciled_accounts() == []


def test_year_without_rate_is_a_clear_error():
    with pytest.raises(DomainError) as err:
        credit_development(year=2009)
    assert err.value.code == "no_development_rate"
    assert "2009" in str(err.value.message)
    assert not CreditingRun.objects.exists()


def test_year_not_over_cannot_be_credited():
    from jaminanku.contributions.models import DevelopmentRate

    DevelopmentRate.objects.create(year=2099, rate_ppm=50_000, source="test")
    with pytest.raises(DomainError) as err:
        credit_development(year=2099)
    assert err.value.code == "year_not_over"


def test_negative_base_credits_nothing():
    company, member = employer(), pu_member()
    _post(company, member, date(2024, 12, 1))
    # the December contribution (weight 0) claimed in December (weight 1): base12 = −285,000 → nothing
    post_jht_claim(membership=member, amount=285_000, paid_on=date(2024, 12, 20), reason="klaim")
    assert credit_development(year=2024).accounts_credited == 0


def test_credit_development_command(history, capsys):
    call_command("credit_development", "2024", "--no-progress")
    assert "63.008" in capsys.readouterr().out


def test_the_command_credits_in_the_librarys_chunks_unless_told_otherwise():
    """Its default had stayed at 50,000 when the library's chunks grew: at a million persons a year took 48–60 s
    in those against 37 s in CHUNK_ACCOUNTS (bench/README.md, 2026-12-07)."""
    parser = CreditDevelopmentCommand().create_parser("manage.py", "credit_development")
    assert parser.parse_args(["2024"]).chunk_size == CHUNK_ACCOUNTS
    assert parser.parse_args(["2024", "--chunk-size", "7"]).chunk_size == 7


def _development_from_all_entries(account_id: int, year: int, rate_ppm: int) -> int:
    """The RULES.md method summed over every ledger line of the account (its contributions and entries), as
    crediting did before it read only the lines dated from 1 January `year` on: 12 × (lines before the year) +
    each line of the year weighted by its month; lines after the year and the year's own development play no
    part."""
    lines = [
        (c.period, c.jht_employer + c.jht_worker, c.jht_employer + c.jht_worker, 0)
        for c in Contribution.objects.filter(membership__jht_account__id=account_id)
    ] + [
        (e.value_date, e.amount, e.employer_amount + e.worker_amount + e.development_amount, e.claim_amount)
        for e in JhtEntry.objects.filter(account_id=account_id).exclude(kind="development", year=year)
    ]
    base12 = 0
    for value_date, amount, earning, claim in lines:
        if value_date.year < year:
            base12 += 12 * amount
        elif value_date.year == year:
            base12 += earning * (12 - value_date.month) + claim * (13 - value_date.month)
    if base12 <= 0:
        return 0
    return (rate_ppm * base12 + 6_000_000) // 12_000_000


def test_reading_only_the_years_entries_credits_what_the_whole_history_gives():
    company = employer(risk_class=3)
    long_career = pu_member()  # 2021–2024 with raises, a claim in 2023 and 2024, and January 2025 posted already
    for year, wage in ((2021, 4_000_000), (2022, 4_500_000), (2023, 5_250_000), (2024, 6_100_000)):
        _post(company, long_career, *(date(year, m, 1) for m in (2, 5, 9, 11)), wage=wage)
    post_jht_claim(membership=long_career, amount=150_000, paid_on=date(2023, 4, 11), reason="klaim sebagian")
    post_jht_claim(membership=long_career, amount=90_000, paid_on=date(2024, 7, 3), reason="klaim sebagian")
    quiet = pu_member()  # nothing since 2022: earns on its opening balance alone
    _post(employer(), quiet, date(2021, 12, 1), date(2022, 3, 1), wage=3_000_000)
    later = pu_member()  # only entries after 2024, which must not count for 2024
    _post(company, later, date(2025, 1, 1), date(2025, 2, 1), wage=5_000_000)
    members = (long_career, quiet, later)
    for year in (2021, 2022, 2023, 2024):
        if year == 2024:  # entries dated after the year, posted before it is credited
            _post(company, long_career, date(2025, 1, 1), wage=6_100_000)
            post_jht_claim(membership=quiet, amount=10_000, paid_on=date(2025, 3, 5), reason="klaim sebagian")
        accounts = {m.pk: Account.objects.get(membership=m).pk for m in members}
        run = credit_development(year=year, chunk_size=2)
        expected = {mid: _development_from_all_entries(aid, year, run.rate_ppm) for mid, aid in accounts.items()}
        credited = {
            mid: JhtEntry.objects.filter(account_id=aid, kind="development", year=year).values_list("amount", flat=True)
            for mid, aid in accounts.items()
        }
        assert {mid: sum(rows) for mid, rows in credited.items()} == expected, year
        assert expected[later.pk] == 0 and (year == 2021 or expected[quiet.pk] > 0)
        assert run.total_credited == sum(expected.values())
    assert find_unreconciled_accounts() == []


def _contribution_indexes() -> list[tuple[bool, bool]]:
    """(unique, partial) of each index of the entries table on contribution_id, on either database."""
    table = JhtEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """SELECT i.indisunique, i.indpred IS NOT NULL FROM pg_index i
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                   WHERE i.indrelid = %s::regclass AND a.attname = 'contribution_id'""",
                [table],
            )
            return [(bool(unique), bool(partial)) for unique, partial in cursor.fetchall()]
        cursor.execute(f"PRAGMA index_list({table})")
        found = []
        for _seq, name, unique, _origin, partial in cursor.fetchall():
            cursor.execute(f'PRAGMA index_info("{name}")')
            if any(column == "contribution_id" for *_rest, column in cursor.fetchall()):
                found.append((bool(unique), bool(partial)))
        return found


def test_the_contribution_index_holds_only_reversals():
    """One unique index on the reversed contribution, partial: a development or claim entry writes no key into
    it (it used to hold a NULL for each, one more index insert per account in every crediting)."""
    assert _contribution_indexes() == [(True, True)]


def test_a_contribution_is_still_reversed_at_most_once(history):
    contribution = Contribution.objects.get(membership=history, period=date(2024, 6, 1))
    reverse_contribution(contribution=contribution, reason="salah upah")
    first = JhtEntry.objects.get(contribution=contribution)
    credit_development(year=2024)  # entries without a contribution: any number of them
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(
            account=first.account,
            kind=JhtEntry.Kind.REVERSAL,
            value_date=first.value_date,
            employer_amount=-first.employer_amount,
            worker_amount=-first.worker_amount,
            amount=-first.amount,
            contribution=contribution,
        )
