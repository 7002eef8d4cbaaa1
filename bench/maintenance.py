"""Member reads while a closed year of the ledger is detached beside a posting (PostgreSQL).

A writer holds the ledger's locks as a month's posting does: the row-exclusive locks of both ledger tables and of
this year's partitions, which `detach` must wait for. `ledger_partitions detach` of the oldest full year starts
beside it, sums the year, then asks for the ledger's lock. From the moment it first asks until `WINDOW` seconds
later (when the writer commits), a member's whole-ledger read (the home page's per-year statement) runs back to
back on its own connection. Baseline: the same reads beside the same writer with no detach. Three turns of each,
side by side (one with --quick), the median turn of each side. The year is attached again after each turn (and the
claims' key validated), so the database is left as it was found.

A detach whose lock request waited in PostgreSQL's queue held every such read behind it until the writer ended
(by hand at 1,000,000 persons: one read waited 15.7 s). It now asks in tries (`core.table_locks`), and the reads
go on between them."""

from __future__ import annotations

import io
import threading
import time
from typing import Any

from bench.common import Result
from jaminanku.core.testing import InThread

MIN_RATIO = 0.5
PATIENCE_SECONDS = 600.0  # the detach's own limit: it must outlast its sums at any size


def _reads_for(seconds: float, read: Any) -> tuple[int, float]:
    """Reads back to back for `seconds`: how many, and the slowest (s)."""
    count, slowest, end = 0, 0.0, time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        read()
        slowest = max(slowest, time.monotonic() - started)
        count += 1
    return count, slowest


def _asks_for_the_ledger(pid: int) -> bool:
    from django.db import connection

    from jaminanku.contributions import partitions

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE pid = %s AND NOT granted AND relation = ANY(%s::regclass[]))",
            [pid, [ledger.table for ledger in partitions.TABLES]],
        )
        return bool(cursor.fetchone()[0])


def _writer(year: int, holding: threading.Event, done: threading.Event) -> InThread:
    from django.db import connection, transaction

    from jaminanku.contributions import partitions

    tables = [partitions.CONTRIBUTIONS.table, partitions.ENTRIES.table]
    this_year = [partitions.partition_name(ledger, year) for ledger in partitions.TABLES]

    def hold() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            only = ", ".join(f'ONLY "{name}"' for name in tables)
            cursor.execute(f"LOCK TABLE {only}, {', '.join(this_year)} IN ROW EXCLUSIVE MODE")
            holding.set()
            done.wait(PATIENCE_SECONDS)

    return InThread(hold)


def _measure(read: Any, *, window: float, detach_year: int | None, now: int) -> dict[str, Any]:
    """Reads beside a writer for `window` seconds: with a detach of `detach_year` waiting (from its first ask for
    the ledger's lock), or none."""
    from django.db import connection, transaction

    from jaminanku.contributions import archive

    holding, done, pid = threading.Event(), threading.Event(), {}
    writer = _writer(now, holding, done)
    writer.start()
    assert holding.wait(30), "the writer did not get the ledger's locks"
    detach = None
    try:
        if detach_year is not None:

            def run_detach() -> None:  # as `ledger_partitions detach` runs it
                with connection.cursor() as cursor:
                    archive.keep_totals_table_probed(cursor)
                with transaction.atomic(), connection.cursor() as cursor:
                    pid["pid"] = connection.connection.info.backend_pid
                    archive.detach_year(cursor, detach_year, patience=PATIENCE_SECONDS)

            detach = InThread(run_detach)
            detach.start()
            deadline = time.monotonic() + PATIENCE_SECONDS
            while "pid" not in pid or not _asks_for_the_ledger(pid["pid"]):
                assert time.monotonic() < deadline and detach.is_alive(), detach.error or "the detach never asked"
                time.sleep(0.005)
        # The writer commits when the window ends, whatever the reads are doing (a read queued behind the detach
        # waits for that commit).
        threading.Timer(window, done.set).start()
        reads, slowest = _reads_for(window, read)
    finally:
        done.set()
        writer.join(60)
        if detach is not None:
            detach.join(PATIENCE_SECONDS)
    for thread in (writer, detach):
        if thread is not None and thread.error is not None:
            raise thread.error
    return {"reads_per_second": reads / window, "slowest_ms": round(1000 * slowest, 1), "reads": reads}


def _oldest_full_year(today_year: int) -> int:
    """The first year whose partition has lines and whose previous year's has some too (the history's first year
    may be partial); never last year, which is still to be credited, or this year."""
    from django.db import connection

    from jaminanku.contributions import partitions

    def has_lines(cursor: Any, year: int) -> bool:
        name = partitions.partition_name(partitions.CONTRIBUTIONS, year)
        cursor.execute(f'SELECT EXISTS (SELECT FROM "{name}")')  # noqa: S608 - a partition's name
        return bool(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        attached = {child for _parent, child, _bounds in partitions.partitions(cursor)}
        years = [
            y for y in range(1990, today_year - 1) if partitions.partition_name(partitions.CONTRIBUTIONS, y) in attached
        ]
        with_lines = [y for y in years if has_lines(cursor, y)]
    for year in with_lines:
        if year - 1 in with_lines:
            return year
    raise AssertionError("no closed year to detach: seed a longer history")


def run(*, quick: bool) -> list[Result]:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jaminanku.contributions import partitions
    from jaminanku.demo.identity import demo_member_login
    from jaminanku.member.selectors_hot import overview_for_user, yearly_breakdowns

    assert connection.vendor == "postgresql", "the ledger is partitioned on PostgreSQL only (make bench)"
    login = demo_member_login()
    assert login is not None, "seed the demo with accounts first (make bench does)"
    overview = overview_for_user(User.objects.get(email__iexact=login["email"]))
    assert overview is not None
    memberships = [kpj.membership for kpj in overview.kpjs]

    def read() -> None:
        yearly_breakdowns(memberships)

    now = timezone.localdate().year
    year = _oldest_full_year(now)
    window = 3.0 if quick else 5.0
    # In turns, side by side (as bench.reads does): on a machine shared with other work, one side measured after
    # the other met a different load.
    turns: dict[str, list[dict[str, Any]]] = {"baseline": [], "ours": []}
    for _turn in range(1 if quick else 3):
        turns["baseline"].append(_measure(read, window=window, detach_year=None, now=now))
        try:
            turns["ours"].append(_measure(read, window=window, detach_year=year, now=now))
        finally:
            with connection.cursor() as cursor:
                detached = year in partitions.detached_years(cursor)
            if detached:
                call_command("ledger_partitions", "attach", str(year), stdout=io.StringIO())
    baseline, ours = (sorted(turns[side], key=lambda t: t["reads_per_second"])[len(turns[side]) // 2] for side in turns)
    return [
        Result(
            name="maintenance",
            title=f"Member reads while {year} is detached beside a posting",
            unit="reads/s",
            ours=ours["reads_per_second"],
            baseline=baseline["reads_per_second"],
            target=f"ratio ≥ {MIN_RATIO}",
            met=ours["reads_per_second"] >= MIN_RATIO * baseline["reads_per_second"],
            size={"window_seconds": window, "year": year, "turns": len(turns["ours"])},
            details={"ours": ours, "baseline": baseline, "turns": turns},
        )
    ]
