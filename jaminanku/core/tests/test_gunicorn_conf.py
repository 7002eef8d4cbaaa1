"""The gunicorn settings (jaminanku/core/gunicorn_conf.py): the master warms the app up before it forks, so no
worker meets a member's call cold, then leaves nothing a forked worker could share by mistake."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from jaminanku.core import gunicorn_conf

pytestmark = pytest.mark.usefixtures("reload_reference_data")


class _Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str, *args: Any) -> None:
        self.lines.append(message % args)

    def exception(self, message: str, *args: Any) -> None:
        self.lines.append("ERROR " + message % args)


class _App:
    def __init__(self, application: Any) -> None:
        self.application = application

    def wsgi(self) -> Any:
        return self.application


class _Server:
    def __init__(self, application: Any) -> None:
        self.app = _App(application)
        self.log = _Log()


def _in_memory(db: Any) -> bool:
    return bool(db.vendor == "sqlite" and db.is_in_memory_db())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_master_answers_the_hot_read_before_forking_writes_nothing_and_keeps_no_connection():
    server = _Server(get_wsgi_application())
    try:
        with CaptureQueriesContext(connection) as captured:
            gunicorn_conf.when_ready(server)
        # the hot read ran its statement (an unknown token: refused) in every language, and the health check
        assert server.log.lines == [
            "warm-up calls answered 401 Unauthorized, 401 Unauthorized, 401 Unauthorized, 200 OK"
        ]
        assert captured.captured_queries, "the balance read's statement was not run"
        # nothing written (None: a statement psycopg ran prepared, the balance read's SELECT)
        statements = [(q["sql"] or "SELECT").lstrip().upper() for q in captured.captured_queries]
        assert all(sql.startswith(("SELECT", "(SELECT")) for sql in statements), statements
        # a socket of the master's, inherited by every worker, would mix their statements (SQLite's in-memory test
        # database is never closed: closing would drop it)
        assert all(c.connection is None or _in_memory(c) for c in connections.all())
        # what the app built is out of the collector's reach in every worker forked from here
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_warm_up_leaves_the_server_starting_cold():
    def broken(environ: dict[str, Any], start_response: Any) -> Any:
        raise RuntimeError("boom")

    server = _Server(broken)
    try:
        gunicorn_conf.when_ready(server)
    finally:
        gc.unfreeze()
    assert server.log.lines == ["ERROR warm-up failed; workers start cold"]


def test_the_benchmarks_serve_the_app_with_these_settings():
    from bench.server import CONFIG

    assert CONFIG == "python:jaminanku.core.gunicorn_conf"
    assert gunicorn_conf.preload_app is True
