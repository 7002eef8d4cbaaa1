"""A paid claim's key into the partitioned JHT ledger (PostgreSQL, contributions migration 0011): (entry_id,
paid_on) -> entry (id, value_date), which holds the one-to-one claim and entry together as the plain key did, and
keeps the year of a paid claim's entry from being detached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
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


def test_the_year_of_a_paid_claims_entry_is_not_detached(paid):
    year = paid.paid_on.year
    call_command("ledger_partitions", "create", "--year", str(year))
    with pytest.raises(CommandError, match="foreign key"):
        call_command("ledger_partitions", "detach", str(year))
    with connection.cursor() as cursor:
        attached = {child for _parent, child, _bounds in partitions.partitions(cursor)}
    assert partitions.partition_name(partitions.ENTRIES, year) in attached
