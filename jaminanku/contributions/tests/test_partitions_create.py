"""Making the ledger's yearly partitions (PostgreSQL): two runs at once make a year once, and the demo's history
gets its years' partitions instead of landing in DEFAULT."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from jaminanku.contributions import partitions
from jaminanku.core.testing import InThread, wait_until

pytestmark = [pytest.mark.postgres_only, pytest.mark.usefixtures("reload_reference_data")]


def _drop_years(years: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for year in years:
            partitions.detach_year(cursor, year)
            partitions.drop_detached_year(cursor, year)


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_run_that_waited_for_the_lock_makes_nothing():
    """Both runs find the year missing; the one that waits for the other's table lock finds it made (it used to
    fail with `relation ... already exists`)."""
    year = 2009

    def second() -> bool:
        with transaction.atomic(), connection.cursor() as cursor:
            return partitions.create_year(cursor, year)

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            assert partitions.create_year(cursor, year)
            thread = InThread(second)
            thread.start()
            # the second run found the year missing and waits for the lock
            wait_until(_waiting_for_a_lock, 10, "the second run never waited for the lock")
        thread.join(timeout=30)
        assert (thread.result, thread.error) == (False, None)
        with connection.cursor() as cursor:
            names = {child for _parent, child, _bounds in partitions.partitions(cursor)}
        assert {partitions.partition_name(ledger, year) for ledger in partitions.TABLES} <= names
    finally:
        _drop_years([year])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_history_lands_in_its_years_partitions_not_in_default():
    as_of = date(2026, 11, 1)  # 180 months of history from late 2011: before partitions.FIRST_YEAR
    with connection.cursor() as cursor:
        before = {child for _parent, child, _bounds in partitions.partitions(cursor)}
    try:
        call_command("seed_demo", persons=40, seed=5, as_of=as_of, accounts=0)
        with connection.cursor() as cursor:
            for ledger in partitions.TABLES:
                cursor.execute(
                    f'SELECT count(*), min({ledger.key}) FROM "{partitions.partition_name(ledger, None)}"'  # noqa: S608
                )
                assert cursor.fetchone()[0] == 0, ledger.table
            cursor.execute("SELECT min(period) FROM contributions_contribution")
            (first,) = cursor.fetchone()
        assert first.year < partitions.FIRST_YEAR  # the case this is about
    finally:
        with connection.cursor() as cursor:
            made = {child for _parent, child, _bounds in partitions.partitions(cursor)} - before
        _drop_years(sorted({int(name.rsplit("_y", 1)[1]) for name in made}))
