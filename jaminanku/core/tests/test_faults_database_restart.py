"""PostgreSQL restarted (pg_ctl) while the app serves reads: requests may fail while the server is down, and the
app recovers by itself afterwards, without being restarted — Django drops the dead persistent connection
(CONN_HEALTH_CHECKS) and opens a new one.

The app is served as in production by one single-threaded WSGI server (like one gunicorn sync worker) that keeps
its database connection between requests (CONN_MAX_AGE); a thread keeps reading from it over HTTP. Needs the
throwaway cluster of scripts/with-postgres, which tells where its data directory and pg_ctl are; the SQLite pass
of `make test` deselects it (`-m "not postgres_only"`)."""

import os
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.signals import request_finished
from django.db import connection, connections

from jaminanku.core.testing import ServedApp

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]
READ = "/api/v1/news/"


def _restart_postgresql() -> None:
    command = [os.environ["JAMINANKU_TEST_PGCTL"], "-D", os.environ["JAMINANKU_TEST_PGDATA"]]
    command += ["-m", "fast", "-w", "-t", "60", "restart"]
    if os.environ.get("JAMINANKU_TEST_PGUSER"):
        command = ["runuser", "-u", os.environ["JAMINANKU_TEST_PGUSER"], "--", *command]
    # the restarted server inherits pg_ctl's output, so give it the cluster's log file rather than a pipe
    with open(os.environ["JAMINANKU_TEST_PGLOG"], "ab") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=True, timeout=90)


class App(ServedApp):
    """The app served over HTTP (core.testing.ServedApp); `backends` lists the PostgreSQL backend each request
    ended on (None when it had no connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.url = self.base + READ
        self.backends: list[int | None] = []

    def _record_backend(self, **kwargs) -> None:
        if threading.current_thread() is self.thread:
            self.backends.append(connection.connection.info.backend_pid if connection.connection else None)

    def __enter__(self) -> "App":
        request_finished.connect(self._record_backend, weak=False)
        return super().__enter__()

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        request_finished.disconnect(self._record_backend)

    def read(self) -> int:
        try:
            with urllib.request.urlopen(self.url, timeout=30) as response:  # noqa: S310 - our own local server
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


class Reader(threading.Thread):
    """Reads in a loop, remembering (monotonic time, HTTP status) of every read, until stopped."""

    def __init__(self, app: App) -> None:
        super().__init__(daemon=True)
        self.app, self.results, self.stopping = app, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.results.append((time.monotonic(), self.app.read()))
            time.sleep(0.02)

    def wait_for(self, count: int, *, after: float = 0.0, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len([1 for at, status in self.results if at > after and status == 200]) < count:
            assert time.monotonic() < deadline, self.results[-20:]
            time.sleep(0.05)


@pytest.fixture
def postgresql(request):
    if connection.vendor != "postgresql":
        pytest.fail("needs scripts/with-postgres; the SQLite pass deselects this test with -m 'not postgres_only'")
    yield
    connections.close_all()


# The test's own transaction holds nothing the server needs (it reads the committed, empty news table); the
# restart breaks the test's connection too, which the test database's teardown rolls back by closing it.
@pytest.mark.django_db
@pytest.mark.usefixtures("postgresql")
def test_reads_fail_at_most_during_a_postgresql_restart_and_recover_without_restarting_the_app(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    with App() as app:
        reader = Reader(app)
        reader.start()
        try:
            reader.wait_for(10)
            before = [b for b in app.backends if b is not None]
            assert len(set(before)) == 1  # one persistent connection, reused by every request

            _restart_postgresql()
            back_at = time.monotonic()
            reader.wait_for(20, after=back_at)  # reading again, by itself
        finally:
            reader.stopping.set()
            reader.join(timeout=60)

        after_restart = [status for at, status in reader.results if at > back_at]
        first_ok = after_restart.index(200)
        assert first_ok <= 3, after_restart[:10]  # back within a few reads of the server
        assert set(after_restart[first_ok:]) == {200}  # and stays back
        assert set(status for _at, status in reader.results) <= {200, 503}  # a retryable answer, never a 500
        assert app.backends[-1] not in before  # on a new connection

        # Restarted again while idle: the very first request afterwards already works, because the health check
        # replaces the dead connection before the request's first query instead of failing it.
        _restart_postgresql()
        assert [app.read() for _ in range(3)] == [200, 200, 200]
