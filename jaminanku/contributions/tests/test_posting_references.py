"""The posting's foreign keys: checked once per chunk on PostgreSQL instead of by a trigger per row, with the same
guarantees — a missing reference refuses the whole chunk, referenced rows stay locked against deletion until the
posting commits, and every other write in the transaction is checked by the declared constraints as before."""

import threading
from datetime import date
from typing import NamedTuple

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from jaminanku.contributions.imports import import_month
from jaminanku.contributions.models import Account, Contribution, JhtEntry, WageReport
from jaminanku.contributions.posting import PreparedContribution, post_contributions
from jaminanku.contributions.rates import compute_contribution
from jaminanku.contributions.reportbook import ReportBook
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.registry.models import Employer, Membership, Segment
from jaminanku.registry.tests.factories import EmploymentFactory

MARCH_2024 = date(2024, 3, 1)

pytestmark = pytest.mark.usefixtures("reload_reference_data")


def _prepared(member: Membership, company: Employer, *, report_id: int) -> PreparedContribution:
    return PreparedContribution(
        membership_id=member.pk,
        employer_id=company.pk,
        period=MARCH_2024,
        wage=4_000_000,
        risk_class=1,
        lines=compute_contribution(wage=4_000_000, period=MARCH_2024, segment=Segment.PU, risk_class=1),
        report_id=report_id,
    )


class _AsRead(NamedTuple):
    """A membership and its account as an importer's look-up read them (`posting.MemberAccount`)."""

    id: int
    account_id: int | None
    last_paid_period: date | None
    paid_since: date | None


def _report(company: Employer) -> WageReport:
    return WageReport.objects.create(employer=company, npp=company.npp, period=MARCH_2024)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunk_that_points_at_a_missing_report_is_refused_whole():
    company = employer()
    good, bad = pu_member(), pu_member()
    rows = [_prepared(good, company, report_id=_report(company).pk), _prepared(bad, company, report_id=987_654)]
    with pytest.raises(IntegrityError), transaction.atomic():  # SQLite checks at commit, PostgreSQL per chunk
        post_contributions(rows, now=timezone.now())
    assert not Contribution.objects.exists()
    assert not JhtEntry.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) <= {0}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_declared_foreign_keys_still_check_later_writes_in_the_same_transaction():
    company = employer()
    member = pu_member()
    report = _report(company)
    with pytest.raises(IntegrityError), transaction.atomic():
        assert len(post_contributions([_prepared(member, company, report_id=report.pk)], now=timezone.now())) == 1
        Contribution.objects.create(
            membership=member, employer=company, period=date(2024, 4, 1), wage=4_000_000, report_id=987_654
        )
    assert not Contribution.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_being_posted_cannot_be_deleted_until_the_posting_commits():
    company = employer()
    member = pu_member()
    # Employment and account exist already, so the posting itself is the only write that references the member.
    EmploymentFactory(membership=member, employer=company, start=date(2024, 1, 1))
    Account.objects.create(membership=member)
    if connection.vendor == "postgresql":
        outcome: dict[str, object] = {}

        def delete_from_elsewhere() -> None:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                    cursor.execute("DELETE FROM registry_employment WHERE membership_id = %s", [member.pk])
                    cursor.execute("DELETE FROM contributions_account WHERE membership_id = %s", [member.pk])
                    cursor.execute("DELETE FROM registry_membership WHERE id = %s", [member.pk])
                    outcome["locked"] = False
            except OperationalError:  # the lock timeout: it waits for the posting
                outcome["locked"] = True
            finally:
                connection.close()

        with transaction.atomic():
            [result] = import_month(period=MARCH_2024, lines=[line(member, 4_000_000, npp=company.npp)])
            assert result.rows_posted == 1
            other = threading.Thread(target=delete_from_elsewhere)
            other.start()
            other.join()
        assert outcome == {"locked": True}
    else:  # one writer at a time on SQLite: the posted member is protected once committed
        [result] = import_month(period=MARCH_2024, lines=[line(member, 4_000_000, npp=company.npp)])
        assert result.rows_posted == 1
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_employment WHERE membership_id = %s", [member.pk])
        cursor.execute("DELETE FROM contributions_jhtentry")
        cursor.execute("DELETE FROM contributions_account")
        cursor.execute("DELETE FROM registry_membership WHERE id = %s", [member.pk])
    assert Contribution.objects.filter(membership=member).count() == 1


@pytest.mark.django_db
def test_a_database_role_that_may_not_skip_the_triggers_posts_with_them_checking():
    company = employer()
    report = _report(company)
    good = _prepared(pu_member(), company, report_id=report.pk)
    bad = _prepared(pu_member(), company, report_id=987_654)
    if connection.vendor == "postgresql":  # a role that is neither superuser nor granted session_replication_role
        with connection.cursor() as cursor:
            cursor.execute("CREATE ROLE jk_posting_test NOSUPERUSER")  # rolled back with the test
            cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO jk_posting_test")
            cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO jk_posting_test")
            cursor.execute("SET LOCAL ROLE jk_posting_test")
        with pytest.raises(IntegrityError), transaction.atomic():
            post_contributions([bad], now=timezone.now())
    assert post_contributions([good], now=timezone.now()) == [good]
    assert Account.objects.get(membership_id=good.membership_id).balance == good.lines.jht_total > 0


@pytest.mark.postgres_only
@pytest.mark.parametrize("with_its_own_row", [False, True])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_whose_account_belongs_to_another_member_is_refused(with_its_own_row):
    # The membership's reference is checked through its account's lock, so the pairing itself is checked: alone,
    # or beside a row of the account's own member. Here the caller's look-up read another member's account.
    company = employer()
    report = _report(company)
    member, other = pu_member(), pu_member()
    others_account = Account.objects.create(membership=other)
    own = _prepared(other, company, report_id=report.pk)
    stray = _prepared(member, company, report_id=report.pk)
    read = [
        _AsRead(member.pk, others_account.pk, None, None),
        _AsRead(other.pk, others_account.pk, None, None),
    ]
    with pytest.raises(IntegrityError, match="membership"), transaction.atomic():
        post_contributions([own, stray] if with_its_own_row else [stray], members=read, now=timezone.now())
    assert not Contribution.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) == {0}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_for_an_employer_that_is_not_there_is_refused():
    book = ReportBook(period=MARCH_2024, kind=WageReport.Kind.WAGE_REPORT)
    with pytest.raises(IntegrityError), transaction.atomic():  # PostgreSQL at once, SQLite at commit
        book.open({"12345678": 987_654})
    assert not WageReport.objects.exists()
