"""Seeding an empty ledger without its plain B-tree indexes (PostgreSQL): they are absent while the history is
posted and exactly the same afterwards, also when the posting fails; a ledger with rows keeps them."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, ProgrammingError, connection

from jaminanku.demo.bulkload import (
    POSTED_ONCE,
    commits_not_waiting_for_disk,
    ledger_indexes_built_after,
    plain_ledger_indexes,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.usefixtures("reload_reference_data")]


@pytest.mark.django_db
def test_the_plain_indexes_are_absent_inside_and_rebuilt_the_same_after():
    before = plain_ledger_indexes()
    names = {name for name, _definition in before}
    # the member's, account's and employer's look-ups, and the unique index over every contribution; the other
    # unique and partial ones are not in the list
    assert {"contribution_latest", "jht_entry_account_date", POSTED_ONCE} <= names
    assert not names & {"jht_entry_crediting_run", "self_payment_once_per_month", "development_once_per_year"}
    said: list[str] = []
    with ledger_indexes_built_after(said.append) as dropped:
        assert dropped == len(before)
        assert plain_ledger_indexes() == []
    assert plain_ledger_indexes() == before
    assert said == [said[0]] and f"{len(before)} indexes built" in said[0]


@pytest.mark.django_db
def test_the_indexes_come_back_when_the_posting_fails():
    before = plain_ledger_indexes()
    with pytest.raises(RuntimeError), ledger_indexes_built_after(lambda _m: None):
        raise RuntimeError("a worker failed")
    assert plain_ledger_indexes() == before


def _said_after_a_block_that_fails(statement: str, error: type[Exception]) -> list[str]:
    """What the block says when its body runs `statement` and fails with `error`."""
    said: list[str] = []
    with pytest.raises(error), ledger_indexes_built_after(said.append), connection.cursor() as cursor:
        cursor.execute(statement)
    return said


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_indexes_come_back_on_a_new_connection_when_the_posting_broke_the_old_one():
    before = plain_ledger_indexes()
    # the server ends this connection, as a restart would
    said = _said_after_a_block_that_fails("SELECT pg_terminate_backend(pg_backend_pid())", OperationalError)
    assert plain_ledger_indexes() == before
    assert said == [said[0]] and f"{len(before)} indexes built" in said[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_indexes_that_cannot_be_built_again_are_named_with_how_to_build_them():
    before = plain_ledger_indexes()
    # the build fails: a column the indexes need has another name by then
    said = _said_after_a_block_that_fails(
        "ALTER TABLE contributions_contribution RENAME COLUMN membership_id TO moved_away", ProgrammingError
    )
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE contributions_contribution RENAME COLUMN moved_away TO membership_id")
    assert said[0].startswith("  ledger: the indexes dropped for the seeding could not be built again")
    assert [line.strip() for line in said[1:]] == [
        definition.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1) + ";" for _name, definition in before
    ]
    with connection.cursor() as cursor:  # what the message says to run builds them
        for line in said[1:]:
            cursor.execute(line)
    assert plain_ledger_indexes() == before


@pytest.mark.django_db
def test_a_month_posted_twice_while_the_unique_index_is_away_fails_the_seeding_when_it_is_built():
    from jaminanku.contributions.imports import import_month
    from jaminanku.contributions.models import Contribution
    from jaminanku.contributions.tests.helpers import employer, line, pu_member

    company = employer()
    columns = ", ".join(f.column for f in Contribution._meta.concrete_fields if not f.primary_key)
    said: list[str] = []
    with pytest.raises(IntegrityError), ledger_indexes_built_after(said.append), connection.cursor() as cursor:
        import_month(period=date(2024, 3, 1), lines=[line(pu_member(), 5_000_000, npp=company.npp)])
        # the same month again, which the unique index would have refused
        cursor.execute(
            f"INSERT INTO contributions_contribution ({columns}) SELECT {columns} FROM contributions_contribution"  # noqa: S608
        )
    assert said[0].startswith("  ledger: the indexes dropped for the seeding could not be built again")
    assert any(POSTED_ONCE in line for line in said[1:])


@pytest.mark.django_db
def test_a_ledger_with_rows_keeps_its_indexes():
    from jaminanku.contributions.imports import import_month
    from jaminanku.contributions.tests.helpers import employer, line, pu_member

    company = employer()
    import_month(period=date(2024, 3, 1), lines=[line(pu_member(), 5_000_000, npp=company.npp)])
    before = plain_ledger_indexes()
    with ledger_indexes_built_after(lambda _m: None) as dropped:
        assert dropped == 0
        assert plain_ledger_indexes() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_rebuilds_the_indexes_it_dropped(capsys):
    before = plain_ledger_indexes()
    call_command("seed_demo", persons=40, seed=3, as_of=date(2026, 11, 1), accounts=0)
    assert f"ledger: {len(before)} indexes built" in capsys.readouterr().out
    assert plain_ledger_indexes() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seeding_connections_commit_without_waiting_for_the_disk_and_others_wait_again():
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:  # the test server's own default is off: new sessions wait, as in production
        cursor.execute(f"ALTER DATABASE {database} SET synchronous_commit = on")
    try:
        connection.close()
        assert setting() == "on"
        with commits_not_waiting_for_disk():
            assert setting() == "off"  # the connection already open
            connection.close()
            assert setting() == "off"  # and a new one (a worker process opens its own after the fork)
        assert setting() == "on"
        connection.close()
        assert setting() == "on"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {database} RESET synchronous_commit")
