"""Helpers for the tests that run on the primary and hot standby of scripts/with-postgres-replicas."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from jaminanku.core import db_routing

# every test module here: deselected from the other passes, and committing for real (the standby sees only commits)
REPLICA_TESTS = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.replicas,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]


def require_replica() -> None:
    if "replica" not in connections.settings or connections["default"].vendor != "postgresql":
        pytest.fail("needs scripts/with-postgres-replicas (make test-replicas); the other passes deselect it")


@dataclass
class Queries:
    primary: list[str]
    replica: list[str]

    def tables(self, alias: str) -> str:
        return "\n".join(getattr(self, alias))


@contextmanager
def queries() -> Iterator[Queries]:
    """Every SQL statement sent on each alias inside the block, in order."""
    with ExitStack() as stack:
        on_primary = stack.enter_context(CaptureQueriesContext(connections["default"]))
        on_replica = stack.enter_context(CaptureQueriesContext(connections["replica"]))
        seen = Queries([], [])
        yield seen
    seen.primary[:] = [q["sql"] for q in on_primary.captured_queries]
    # the lag probe's own question is monitoring, not a member's read
    seen.replica[:] = [q["sql"] for q in on_replica.captured_queries if "pg_is_in_recovery" not in q["sql"]]


def standby_caught_up(timeout: float = 30) -> None:
    """Waits until the standby replayed everything the primary wrote so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                break
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.02)
    db_routing.lag_probe.forget()


@contextmanager
def replay_paused() -> Iterator[None]:
    """The standby keeps receiving WAL (synchronous commits still succeed) but applies none of it: a real lag."""
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    db_routing.lag_probe.forget()
    try:
        yield
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        db_routing.lag_probe.forget()


def pg_ctl(*args: str, data: str, log: str) -> None:
    command = [os.environ["JAMINANKU_TEST_PGCTL"], "-D", data, *args]
    if os.environ.get("JAMINANKU_TEST_PGUSER"):
        command = ["runuser", "-u", os.environ["JAMINANKU_TEST_PGUSER"], "--", *command]
    with open(log, "ab") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=90)  # noqa: S603
