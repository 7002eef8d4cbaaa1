"""Detaching and attaching a ledger year beside live traffic (PostgreSQL): the ledger's locks are taken in short
tries (`core.table_locks`), so a member's read never queues long behind a detach that waits for a month's posting
to commit, a late posting into the year being detached waits instead of deadlocking with it, and a detach or
attach that cannot get its lock in time gives up, changing nothing."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from jaminanku.contributions import archive, partitions
from jaminanku.contributions.models import ArchivedYearTotal, Contribution, JhtEntry
from jaminanku.contributions.services import import_month, post_jht_claim
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.core.testing import InThread, wait_until
from jaminanku.member.selectors_hot import _years_sql
from jaminanku.registry.models import Membership

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reload_reference_data"),
]

YEAR = 2023


def _holds(table: str, mode: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE granted AND relation = to_regclass(%s) AND mode = %s "
            "AND pid <> pg_backend_pid())",
            [table, mode],
        )
        return bool(cursor.fetchone()[0])


@contextmanager
def _held_open(write: Callable[[], object], table: str, go_on: threading.Event) -> Iterator[InThread]:
    """`write` in a transaction that stays open (holding `table`'s row-exclusive lock) until `go_on` is set."""

    def write_and_wait() -> None:
        with transaction.atomic():
            write()
            go_on.wait(30)

    writer = InThread(write_and_wait)
    writer.start()
    wait_until(lambda: _holds(table, "RowExclusiveLock"))
    try:
        yield writer
    finally:
        go_on.set()
        writer.join(30)


def _posting_held_open(member: Membership, npp: str, go_on: threading.Event) -> AbstractContextManager[InThread]:
    """A month's posting of 2026, held open."""
    return _held_open(
        lambda: import_month(period=month(2026, 1), lines=[line(member, 5_000_000, npp=npp)]),
        partitions.CONTRIBUTIONS.table,
        go_on,
    )


def _claim_held_open(member: Membership, go_on: threading.Event) -> AbstractContextManager[InThread]:
    """A claim's payment, held open."""
    return _held_open(
        lambda: post_jht_claim(membership=member, amount=100_000, paid_on=date(YEAR + 1, 2, 1), reason="klaim"),
        partitions.ENTRIES.table,
        go_on,
    )


def _detach() -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        return archive.detach_year(cursor, YEAR)


def _attach() -> None:
    call_command("ledger_partitions", "attach", str(YEAR))


@pytest.fixture
def history():
    """October and December of YEAR posted (November is posted late by one test); the year attached again after
    the test, whatever it left."""
    company, member = employer(), pu_member()
    for period in (month(YEAR, 10), month(YEAR, 12)):
        import_month(period=period, lines=[line(member, 5_000_000, npp=company.npp)])
    yield company, member
    with connection.cursor() as cursor:
        detached = YEAR in partitions.detached_years(cursor)
    if detached:
        _attach()
    with transaction.atomic(), connection.cursor() as cursor:
        archive.validate_claims_key(cursor)  # as `migrate` left it, for the next tests


def _year_partition() -> str:
    return partitions.partition_name(partitions.CONTRIBUTIONS, YEAR)


def test_reads_do_not_queue_behind_a_detach_that_waits_for_a_posting(history):
    company, member = history
    go_on = threading.Event()
    with _posting_held_open(member, company.npp, go_on) as writer:
        detach = InThread(_detach)
        detach.start()
        wait_until(lambda: _holds(_year_partition(), "ShareRowExclusiveLock"))  # summed, now trying for the ledger
        time.sleep(0.3)
        slowest = 0.0
        for _ in range(15):  # a member's reads of the whole ledger over about 1.5 s
            started = time.monotonic()
            assert Contribution.objects.filter(membership=member).count() == 2
            JhtEntry.objects.filter(account__membership=member).count()
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.1)
        assert detach.is_alive()  # still waiting for the posting, whose lock it cannot have
        assert slowest < 0.5, slowest  # one try's wait at most (0.05 s); it was the posting's whole time
        go_on.set()
        detach.join(30)
    assert writer.error is None and detach.error is None
    assert detach.result == 1


def test_a_late_posting_into_the_year_being_detached_waits_and_is_archived_with_it(history):
    """The posting holds the ledger's lock and waits for the year's; the detach, holding the year's and trying for
    the ledger's, gives way, then sums the year again with the late month in it. It used to deadlock, and
    PostgreSQL aborted one of the two."""
    company, member = history
    go_on, late_posted = threading.Event(), threading.Event()

    def post_then_post_late() -> None:
        with transaction.atomic():
            import_month(period=month(2026, 1), lines=[line(member, 5_000_000, npp=company.npp)])
            go_on.wait(30)
            (late,) = import_month(period=month(YEAR, 11), lines=[line(member, 5_000_000, npp=company.npp)])
        assert late.rows_posted == 1, late.errors
        late_posted.set()

    writer = InThread(post_then_post_late)
    writer.start()
    wait_until(lambda: _holds(partitions.CONTRIBUTIONS.table, "RowExclusiveLock"))
    detach = InThread(_detach)
    detach.start()
    wait_until(lambda: _holds(_year_partition(), "ShareRowExclusiveLock"))
    time.sleep(0.2)
    go_on.set()  # the late month now waits for the detach's lock on the year
    writer.join(30)
    detach.join(30)
    assert writer.error is None, writer.error
    assert detach.error is None, detach.error
    assert late_posted.is_set() and detach.result == 1
    archived = ArchivedYearTotal.objects.get(year=YEAR)
    _attach()  # the year's lines back, its sums gone
    in_year = Contribution.objects.filter(membership=member, period__year=YEAR)
    assert in_year.count() == 3
    assert archived.lines == in_year.count() + JhtEntry.objects.filter(value_date__year=YEAR).count()
    assert not ArchivedYearTotal.objects.exists()
    call_command("reconcile_ledger")


def test_a_detach_or_attach_that_cannot_get_the_lock_in_time_changes_nothing(history):
    company, member = history
    go_on = threading.Event()
    with _posting_held_open(member, company.npp, go_on):
        started = time.monotonic()
        with pytest.raises(CommandError, match="sedang dipakai transaksi lain lebih dari 1 detik"):
            call_command("ledger_partitions", "detach", str(YEAR), "--wait", "1")
        assert time.monotonic() - started < 10
    assert not ArchivedYearTotal.objects.exists()
    with connection.cursor() as cursor:
        assert YEAR not in partitions.detached_years(cursor)

    call_command("ledger_partitions", "detach", str(YEAR))
    go_on = threading.Event()

    def write_into_default() -> None:
        # A write of a year with no partition of its own (the ledger keeps them in DEFAULT), held open: what a
        # correction of 2008 would hold. 2008 is before any membership here, so it changes no line.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {partitions.CONTRIBUTIONS.table} WHERE period = '2008-01-01'")  # noqa: S608
            go_on.wait(30)

    writer = InThread(write_into_default)
    writer.start()
    try:
        wait_until(lambda: _holds(partitions.partition_name(partitions.CONTRIBUTIONS, None), "RowExclusiveLock"))
        with pytest.raises(CommandError, match="sedang dipakai transaksi lain"):
            call_command("ledger_partitions", "attach", str(YEAR), "--wait", "0.5")
    finally:
        go_on.set()
        writer.join(30)
    assert writer.error is None
    with connection.cursor() as cursor:
        assert YEAR in partitions.detached_years(cursor)
    assert ArchivedYearTotal.objects.filter(year=YEAR).count() == 1
    call_command("ledger_partitions", "attach", str(YEAR))
    assert not ArchivedYearTotal.objects.exists()


def test_attaching_a_year_proves_its_bounds_by_a_check_instead_of_scanning_under_the_lock(history):
    """PostgreSQL says at DEBUG1 when a table's CHECK constraints imply the partition's bounds, and then does not
    scan it while it holds the DEFAULT partition's lock, which every read of a member's whole ledger waits for."""
    _detach()
    said: list[str] = []
    raw = connection.connection
    raw.add_notice_handler(lambda notice: said.append(notice.message_primary))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL client_min_messages = debug1")
            archive.attach_year(cursor, YEAR)
    finally:
        raw._notice_handlers.clear()
    for ledger in partitions.TABLES:
        name = partitions.partition_name(ledger, YEAR)
        assert f'partition constraint for table "{name}" is implied by existing constraints' in said


def test_creating_a_year_behind_a_long_posting_gives_up_in_time_and_changes_nothing(history):
    company, member = history
    go_on = threading.Event()
    with (
        _posting_held_open(member, company.npp, go_on),
        pytest.raises(CommandError, match="sedang dipakai transaksi lain lebih dari 0,5 detik"),
    ):
        call_command("ledger_partitions", "create", "--year", "2009", "--wait", "0.5")
    with connection.cursor() as cursor:
        names = {child for _parent, child, _bounds in partitions.partitions(cursor)}
    assert partitions.partition_name(partitions.CONTRIBUTIONS, 2009) not in names


def _generic_plan_of_the_members_statement(membership_id: int) -> str:
    """The plan PostgreSQL caches for the member's per-year statement once it runs prepared (`selectors_hot`)."""
    sql, entry_params, contribution_params = _years_sql(1)
    params = [*entry_params, membership_id, *contribution_params, membership_id, membership_id]
    numbers = iter(range(1, len(params) + 1))
    prepared = re.sub("%s", lambda _match: f"${next(numbers)}", sql)
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE years_statement({', '.join(['bigint'] * len(params))}) AS {prepared}")
        try:
            cursor.execute(f"EXPLAIN EXECUTE years_statement({', '.join(map(str, params))})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE years_statement")
            cursor.execute("RESET plan_cache_mode")


def test_a_detach_leaves_the_members_statement_probing_the_sums_key(history):
    """Planned on a sums table of no pages, the statement read it through: while a detach wrote its sums, every
    member's read went through all of them (bench/maintenance.py)."""
    _company, member = history
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {ArchivedYearTotal._meta.db_table}")  # as autovacuum leaves an emptied table
    call_command("ledger_partitions", "detach", str(YEAR))
    plan = _generic_plan_of_the_members_statement(member.pk)
    assert "Index Scan using archived_year_once_per_account" in plan, plan
    assert f"Seq Scan on {ArchivedYearTotal._meta.db_table}" not in plan


def _migrate(target: tuple[str, str] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


# Each migration that drops a ledger index, the one before it, the write it meets, what a member's read counts
# meanwhile, and the index
INDEX_DROPS = {
    "0015": (
        "0014_archived_totals_keep_pages",
        _posting_held_open,
        lambda member: Contribution.objects.filter(membership=member).count() == 2,
        "contributions_contribution_report_id_bb4d760b",
    ),
    "0016": (
        "0015_contribution_report_unindexed",
        lambda member, npp, go_on: _claim_held_open(member, go_on),
        lambda member: JhtEntry.objects.filter(account__membership=member).count() == 0,
        "jht_entry_crediting_run",
    ),
}


@pytest.mark.parametrize("migration", INDEX_DROPS)
def test_reads_do_not_queue_behind_a_migration_dropping_an_index_while_a_write_is_open(history, migration):
    """Dropping a ledger index needs the table's exclusive lock: taken in tries, as a detach takes it, so reads go
    on while the migration waits for the write (a posting, a claim's payment), and it drops the index once the write
    ends."""
    company, member = history
    before, held_open, reads, index = INDEX_DROPS[migration]
    _migrate(("contributions", before))
    go_on = threading.Event()
    try:
        with held_open(member, company.npp, go_on) as writer:
            migrating = InThread(lambda: _migrate(None))
            migrating.start()
            time.sleep(0.5)  # the migration is asking for the table's lock by now
            slowest = 0.0
            for _ in range(10):
                started = time.monotonic()
                assert reads(member)
                slowest = max(slowest, time.monotonic() - started)
                time.sleep(0.1)
            assert migrating.is_alive()  # waiting for the write
            assert slowest < 0.5, slowest  # a plain DROP INDEX held every read for the write's whole time
            go_on.set()
            migrating.join(30)
        assert writer.error is None and migrating.error is None
    finally:
        _migrate(None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [index])
        assert cursor.fetchone() == (None,)
