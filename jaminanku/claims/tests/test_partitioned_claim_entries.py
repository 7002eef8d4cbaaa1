"""A paid claim's key into the partitioned JHT ledger (PostgreSQL, contributions migration 0011): (entry_id,
paid_on) -> entry (id, value_date), which holds the one-to-one claim and entry together as the plain key did, and
lets the year of a paid claim's entry be archived all the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jaminanku.claims.models import DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim
from jaminanku.contributions import partitions

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only, pytest.mark.usefixtures("private_files")]
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


@pytest.fixture
def paid(finance):
    claim = approved_claim()
    batch = create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=finance)
    apply_result_file(batch, sample_result_csv(batch), finance)
    return JhtClaim.objects.select_related("entry").get(pk=claim.pk)


def test_the_claims_key_names_the_entry_and_its_day(paid):
    assert paid.entry.value_date == paid.paid_on
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [partitions.CLAIM_ENTRY_FK]
        )
        (definition,) = cursor.fetchone()
    assert definition.startswith("FOREIGN KEY (entry_id, paid_on) REFERENCES contributions_jhtentry(id, value_date)")


def test_a_paid_claim_dated_otherwise_than_its_entry_is_refused(paid):
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtClaim.objects.filter(pk=paid.pk).update(paid_on=paid.paid_on - timedelta(days=1))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the commit would check


def _claim_key_validated() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT convalidated FROM pg_constraint WHERE conname = %s", [partitions.CLAIM_ENTRY_FK])
        return bool(cursor.fetchone()[0])


def test_a_year_with_a_paid_claim_is_archived_and_the_key_still_checks_every_claim_paid_or_changed(paid):
    """Every year has paid claims: the year of one is detached all the same, the claim keeps its entry's id and
    day (pointing into the archive), the claims' key goes on checking claims written from then on, and attaching
    the year again validates the key over every claim."""
    year = paid.paid_on.year
    call_command("ledger_partitions", "create", "--year", str(year))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's claim checked now, as its commit would
    call_command("ledger_partitions", "detach", str(year))
    with connection.cursor() as cursor:
        assert year in partitions.detached_years(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM contributions_jhtentry_y{year} WHERE id = %s", [paid.entry_id])  # noqa: S608
        assert cursor.fetchone() == (1,)  # the claim's entry is in the archive
    archived = JhtClaim.objects.get(pk=paid.pk)
    assert (archived.entry_id, archived.paid_on) == (paid.entry_id, paid.paid_on)
    assert not _claim_key_validated()
    # a claim changed meanwhile is checked: its entry dated otherwise is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        JhtClaim.objects.filter(pk=paid.pk).update(paid_on=paid.paid_on.replace(year=year + 1, month=1, day=2))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("ledger_partitions", "attach", str(year))
    with connection.cursor() as cursor:
        assert partitions.detached_years(cursor) == []
    assert _claim_key_validated()
    assert JhtClaim.objects.select_related("entry").get(pk=paid.pk).entry.value_date == paid.paid_on


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_of_an_archived_year_can_still_be_changed_where_its_key_is_not_touched(paid):
    """Staff may still correct an old claim (its slip number here) while its year is archived: PostgreSQL checks a
    key on update only when the key's columns change, for a row written by an earlier transaction (as archived
    claims are; this test commits, so that the claim is one)."""
    year = paid.paid_on.year
    call_command("ledger_partitions", "detach", str(year))
    try:
        JhtClaim.objects.filter(pk=paid.pk).update(tax_slip_number="ARSIP-1")
        assert JhtClaim.objects.get(pk=paid.pk).tax_slip_number == "ARSIP-1"
    finally:
        call_command("ledger_partitions", "attach", str(year))
    assert _claim_key_validated()
