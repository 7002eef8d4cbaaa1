"""The app through PgBouncer in transaction mode (issue 27, many app processes), started in front of the test
cluster by bench/pgbouncer.py: every transaction may run on another server connection, so nothing may outlive
one. With the settings DATABASE_PGBOUNCER=1 gives (no named prepared statements, no server-side cursors, no
`options` startup parameter) the member's balance read and the sign-up and login writes work from several
connections at once over fewer server connections handed out in turn; with the balance read's prepared statement
left on, the second connection fails on it exactly as PgBouncer 1.18 makes it fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import psycopg
import pytest
from django.db import ProgrammingError, connection, connections
from django.test import Client

from bench.pgbouncer import pgbouncer
from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, api_login, make_worker
from jaminanku.accounts.tests.test_api import _walk_api
from jaminanku.contributions.tests.helpers import month
from jaminanku.member.tests.conftest import Member, make_member

BALANCE = "/api/v1/me/balance"


def _prepared_on_server() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return int(cursor.fetchone()[0])


def _require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("needs scripts/with-postgres; the SQLite pass deselects it with -m 'not postgres_only'")


@contextmanager
def _through_pgbouncer(settings: Any, *, prepared: bool, pool_size: int) -> Iterator[int]:
    """The test database's connections go through a fresh PgBouncer inside the block, configured as settings.py
    configures them for DATABASE_PGBOUNCER=1 (or with the balance read's prepared statement left on); yields
    PgBouncer's port."""
    _require_postgres()
    database = connections.settings["default"]
    saved = {key: database[key] for key in ("HOST", "PORT", "OPTIONS", "DISABLE_SERVER_SIDE_CURSORS")}
    with pgbouncer(os.environ["DATABASE_URL"], pool_size=pool_size, round_robin=True) as port:
        connections.close_all()
        settings.DATABASE_PREPARED_STATEMENTS = prepared
        options = {k: v for k, v in database["OPTIONS"].items() if k != "options"}
        options["prepare_threshold"] = 2**31 - 1 if prepared else None
        database.update(HOST="127.0.0.1", PORT=str(port), OPTIONS=options, DISABLE_SERVER_SIDE_CURSORS=True)
        try:
            yield port
        finally:
            connections.close_all()
            database.update(saved)


def _in_threads(work: Callable[[int], Any], n: int) -> list[Any]:
    """`work(i)` in n threads at once, each with its own database connection (its own PgBouncer client)."""
    results: list[Any] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _balance(token: str) -> tuple[int, Any]:
    response = Client().get(BALANCE, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def _transactions_through(port: int) -> int:
    """How many transactions PgBouncer passed on to the test database so far (its admin console)."""
    name = connection.settings_dict["NAME"]
    with psycopg.connect(
        host="127.0.0.1", port=port, dbname="pgbouncer", user=connection.settings_dict["USER"], autocommit=True
    ) as admin:
        admin.prepare_threshold = None
        rows = admin.execute("SHOW STATS").fetchall()
        columns = [c.name for c in admin.execute("SHOW STATS").description or []]
    return sum(int(r[columns.index("total_xact_count")]) for r in rows if r[0] == name)


@pytest.fixture
def members(db) -> list[Member]:
    return [make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 4)]) for _ in range(3)]


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_and_writes_work_through_pgbouncer_in_transaction_mode(settings, members):
    tokens = [issue_api_token(user=m.user, label="test") for m in members]
    direct = [_balance(t) for t in tokens]
    assert all(status == 200 for status, _ in direct)
    worker = make_worker(full_name="Siti Rahayu", date_of_birth=date(1992, 3, 14), sex="F", kpj="12345678901")
    with _through_pgbouncer(settings, prepared=False, pool_size=2) as port:
        before = _transactions_through(port)
        # six connections over two server connections: each read's transaction meets whichever is free
        answers = _in_threads(lambda i: [_balance(tokens[i % 3]) for _ in range(8)], 6)
        for i, reads in enumerate(answers):
            assert not isinstance(reads, Exception), reads
            assert reads == [direct[i % 3]] * 8
        # a sign-up over the API, its token, then a login of the new member from an app, all written through it
        client = Client()
        flow = _walk_api(client, worker, email="siti.bouncer@contoh.id")
        assert flow["step"] == "done"
        status, mine = _balance(flow["token"])
        assert status == 200 and [k["kpj"] for k in mine["kpjs"]] == ["12345678901"]
        login = api_login(client, "siti.bouncer@contoh.id", GOOD_PASSWORD)
        assert _balance(login["token"])[0] == 200
        assert _prepared_on_server() == 0  # this connection's server connection holds no prepared statement
        assert _transactions_through(port) - before >= 6 * 8


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_prepared_statement_setting_is_what_breaks_or_keeps_the_read_behind_pgbouncer(settings, members):
    _require_postgres()
    token = issue_api_token(user=members[0].user, label="test")
    # straight to PostgreSQL the balance read prepares its statement once per connection
    before = _prepared_on_server()
    assert [_balance(token)[0] for _ in range(3)] == [200] * 3
    assert _prepared_on_server() == before + 1
    connections.close_all()
    for prepared in (True, False):
        with _through_pgbouncer(settings, prepared=prepared, pool_size=1):
            assert _balance(token)[0] == 200  # a first connection; with prepared statements on it prepared _pg3_0
            (second,) = _in_threads(lambda _i: _balance(token), 1)  # a second one, on the one server connection
        if prepared:
            assert isinstance(second, ProgrammingError), second
            assert isinstance(second.__cause__, psycopg.errors.DuplicatePreparedStatement)
        else:
            assert second[0] == 200, second


def _settings_for(**env: str) -> dict[str, Any]:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps([s.DATABASE_PREPARED_STATEMENTS, d.get('DISABLE_SERVER_SIDE_CURSORS', False),"
        " d['OPTIONS'].get('prepare_threshold', 'unset'), d['OPTIONS'].get('options', '')]))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_SETTINGS_MODULE": "jaminanku.settings", "DATABASE_URL": "postgres://u@h:1/d", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    prepared, no_cursors, threshold, options = json.loads(done.stdout.strip().splitlines()[-1])
    return {"prepared": prepared, "no_cursors": no_cursors, "threshold": threshold, "options": options}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"prepared": True, "no_cursors": False, "threshold": 2**31 - 1, "options": "-c jit=off"}),
        ({"DATABASE_PGBOUNCER": "1"}, {"prepared": False, "no_cursors": True, "threshold": None, "options": ""}),
        (
            {"DATABASE_PREPARED_STATEMENTS": "0"},
            {"prepared": False, "no_cursors": False, "threshold": None, "options": "-c jit=off"},
        ),
    ],
)
def test_settings_behind_pgbouncer(env, expected):
    assert _settings_for(**env) == expected
