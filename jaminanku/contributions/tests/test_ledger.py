"""The JHT ledger: claims, reversals, database guards and reconciliation."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.ledger import (
    ClaimLine,
    find_unreconciled_accounts,
    post_jht_claim,
    post_jht_claims,
    reverse_contribution,
    reverse_entry,
)
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.contributions.selectors import jht_balance_for
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.core.errors import DomainError

pytestmark = pytest.mark.django_db

MARCH_2024 = date(2024, 3, 1)


@pytest.fixture
def posted():
    company, member = employer(), pu_member()
    import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(member, 5_000_000)])
    return company, member


def test_claim_reduces_balance_and_cannot_exceed_it(posted):
    _company, member = posted
    entry = post_jht_claim(membership=member, amount=85_000, paid_on=date(2024, 4, 10), reason="klaim")
    assert (entry.kind, entry.amount, entry.claim_amount) == ("claim", -85_000, -85_000)
    assert jht_balance_for(member) == 200_000
    with pytest.raises(DomainError) as err:
        post_jht_claim(membership=member, amount=200_001, paid_on=date(2024, 4, 11), reason="klaim")
    assert err.value.code == "claim_exceeds_balance"
    account = Account.objects.get(membership=member)
    assert (account.balance, account.claims_total) == (200_000, -85_000)


def test_full_claim_zeroes_the_account(posted):
    _company, member = posted
    post_jht_claim(membership=member, amount=285_000, paid_on=date(2024, 4, 10), reason="klaim 100%")
    assert jht_balance_for(member) == 0


def test_claims_in_bulk_pay_every_member_or_none(posted):
    company, first = posted
    second = pu_member()
    import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(second, 4_000_000)])  # JHT 5.7 % = 228,000
    paid_on = date(2024, 4, 10)
    short = [
        ClaimLine(membership_id=first.pk, amount=85_000, paid_on=paid_on, reason="klaim"),
        ClaimLine(membership_id=second.pk, amount=228_001, paid_on=paid_on, reason="klaim"),
    ]
    with pytest.raises(DomainError) as err:
        post_jht_claims(claims=short)
    assert err.value.code == "claim_exceeds_balance"
    assert not JhtEntry.objects.filter(kind="claim").exists()
    assert (jht_balance_for(first), jht_balance_for(second)) == (285_000, 228_000)

    # two claims on one account count against the same balance
    entries = post_jht_claims(
        claims=[
            ClaimLine(membership_id=first.pk, amount=85_000, paid_on=paid_on, reason="klaim 1"),
            ClaimLine(membership_id=second.pk, amount=228_000, paid_on=paid_on, reason="klaim"),
            ClaimLine(membership_id=first.pk, amount=200_000, paid_on=paid_on, reason="klaim 2"),
        ]
    )
    assert [(e.amount, e.claim_amount, e.note) for e in entries] == [
        (-85_000, -85_000, "klaim 1"),
        (-228_000, -228_000, "klaim"),
        (-200_000, -200_000, "klaim 2"),
    ]
    assert all(e.pk for e in entries)
    account = Account.objects.get(membership=first)
    assert (account.balance, account.claims_total) == (0, -285_000)
    assert jht_balance_for(second) == 0
    assert find_unreconciled_accounts() == []
    with pytest.raises(DomainError):
        post_jht_claims(claims=[ClaimLine(membership_id=first.pk, amount=1, paid_on=paid_on, reason="klaim")])


def test_reversal_undoes_a_contribution_once(posted):
    _company, member = posted
    contribution = Contribution.objects.get()
    reverse_contribution(contribution=contribution, reason="salah lapor")
    reversal = JhtEntry.objects.get()
    assert (reversal.kind, reversal.amount, reversal.value_date, reversal.contribution) == (
        "reversal",
        -285_000,
        MARCH_2024,
        contribution,
    )
    assert (reversal.employer_amount, reversal.worker_amount) == (-185_000, -100_000)
    account = Account.objects.get(membership=member)
    assert (account.balance, account.employer_total, account.worker_total) == (0, 0, 0)
    assert (account.last_paid_period, account.paid_since) == (None, None)
    with pytest.raises(DomainError) as err:
        reverse_contribution(contribution=contribution, reason="lagi")
    assert err.value.code == "already_reversed"
    with pytest.raises(DomainError):
        reverse_entry(entry=reversal, reason="batal pembatalan")
    assert JhtEntry.objects.count() == 1
    assert find_unreconciled_accounts() == []


def test_reversal_undoes_an_entry_once(posted):
    _company, member = posted
    claim = post_jht_claim(membership=member, amount=85_000, paid_on=date(2024, 4, 10), reason="klaim")
    reversal = reverse_entry(entry=claim, reason="salah bayar")
    assert (reversal.kind, reversal.amount, reversal.claim_amount, reversal.value_date, reversal.reverses) == (
        "reversal",
        85_000,
        85_000,
        date(2024, 4, 10),
        claim,
    )
    account = Account.objects.get(membership=member)
    assert (account.balance, account.claims_total) == (285_000, 0)
    with pytest.raises(DomainError) as err:
        reverse_entry(entry=claim, reason="lagi")
    assert err.value.code == "already_reversed"
    assert find_unreconciled_accounts() == []


def test_reversed_month_can_be_posted_again_with_the_corrected_wage(posted):
    company, member = posted
    reverse_contribution(contribution=Contribution.objects.get(), reason="upah salah")
    result = import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(member, 6_000_000)])
    assert result.rows_posted == 1
    assert jht_balance_for(member) == 342_000  # 6,000,000 × 5.7 %
    assert Contribution.objects.filter(reversed_at__isnull=True).get().wage == 6_000_000


def test_reversal_may_not_take_the_balance_below_zero(posted):
    _company, member = posted
    post_jht_claim(membership=member, amount=285_000, paid_on=date(2024, 4, 10), reason="klaim")
    with pytest.raises(DomainError) as err:
        reverse_contribution(contribution=Contribution.objects.get(), reason="salah")
    assert err.value.code == "reversal_exceeds_balance"


def test_database_refuses_the_same_month_twice(posted):
    company, member = posted
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(membership=member, employer=company, period=MARCH_2024, wage=1)
    bpu = pu_member()
    Contribution.objects.create(membership=bpu, period=MARCH_2024, wage=1_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(membership=bpu, period=MARCH_2024, wage=1_000_000)


def test_database_refuses_two_reversals_and_two_developments(posted):
    _company, member = posted
    account = Account.objects.get(membership=member)
    entry = post_jht_claim(membership=member, amount=1, paid_on=date(2024, 4, 10), reason="klaim")
    # a reversal keeps the value date of what it reverses (on PostgreSQL its key says so: contributions.partitions)
    JhtEntry.objects.create(account=account, kind="reversal", value_date=entry.value_date, amount=0, reverses=entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(account=account, kind="reversal", value_date=entry.value_date, amount=0, reverses=entry)
    contribution = Contribution.objects.get()
    naming_it = {"account": account, "value_date": MARCH_2024, "amount": 0, "contribution": contribution}
    JhtEntry.objects.create(kind="reversal", **naming_it)
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(kind="reversal", **naming_it)
    # a contribution is its own ledger line: only its reversal may name it, and no entry is a contribution
    april = Contribution.objects.create(membership=member, period=date(2024, 4, 1), wage=1)
    for kind, names in (("claim", april), ("contribution", None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            JhtEntry.objects.create(kind=kind, **{**naming_it, "contribution": names})
    JhtEntry.objects.create(account=account, kind="development", year=2024, value_date=date(2024, 12, 31), amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtEntry.objects.create(account=account, kind="development", year=2024, value_date=date(2024, 12, 31), amount=0)


def test_reconciliation_catches_a_tampered_balance(posted, capsys):
    _company, member = posted
    call_command("reconcile_ledger")
    assert "cocok" in capsys.readouterr().out
    Account.objects.filter(membership=member).update(balance=999_999, last_contribution_at=timezone.now())
    with pytest.raises(CommandError):
        call_command("reconcile_ledger")
    out = capsys.readouterr().out
    assert member.kpj in out and "999999" in out and "285000" in out
    [wrong] = find_unreconciled_accounts()
    assert wrong.differences == {"balance": (999_999, 285_000)}


def test_reconcile_ledger_exits_non_zero_from_the_shell(posted):
    _company, member = posted
    Account.objects.filter(membership=member).update(employer_total=1)
    # manage.py turns CommandError into exit status 1
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "reconcile_ledger"]).execute()
    assert exit_info.value.code == 1
