"""Test support shared by the apps' race tests: many attempts at the same moment.

On PostgreSQL every attempt runs in its own thread with its own connection, all released together by a barrier,
so row locks and constraints decide; SQLite serialises writers, so there the same attempts run one after another
and the tests' assertions stay the same. Kept out of any test package so that every app's tests can import it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Self
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

from jaminanku.core.errors import DomainError


def _code(exc: DomainError) -> str:
    return exc.code


Attempt = Callable[[], object]


def _run_all(run: Callable[[Attempt], None], attempts: Sequence[Attempt], threads: bool) -> None:
    if not threads:
        for attempt in attempts:
            run(attempt)
        return
    started = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()


def run_at_once(attempts: Sequence[Attempt], *, outcome: Callable[[DomainError], str] = _code) -> list[str]:
    """Runs `attempts` at once and returns what each came to, in the order they finished: "ok", or for a
    DomainError its code (or what `outcome` makes of it). Any other exception is raised once all have run."""
    concurrent = connection.vendor == "postgresql"
    gate = threading.Barrier(len(attempts)) if concurrent and attempts else None
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(attempt: Attempt) -> None:
        try:
            if gate is not None:
                gate.wait()
            attempt()
            result = "ok"
        except DomainError as exc:
            result = outcome(exc)
        except Exception as exc:
            with lock:
                errors.append(exc)
            return
        finally:
            if concurrent:
                connection.close()  # each thread's own connection
        with lock:
            outcomes.append(result)

    _run_all(run, attempts, concurrent)
    if errors:
        raise errors[0]
    return outcomes


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class ServedApp:
    """The app behind one single-threaded WSGI server in a thread (like one gunicorn sync worker), for tests that
    must reach it over real HTTP while the database under it fails or fails over. `base` is its address."""

    def __init__(self) -> None:
        self.server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        try:
            self.server.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=30)
        self.server.server_close()


class InThread(threading.Thread):
    """Runs `work` in a thread on its own connection (closed at the end); keeps what it returned or raised, for the
    test to assert on: one transaction holding a lock while another waits for it."""

    def __init__(self, work: Callable[[], object]):
        super().__init__(daemon=True)
        self.work = work
        self.result: object = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except Exception as exc:  # noqa: BLE001 - kept for the caller
            self.error = exc
        finally:
            connections.close_all()


def wait_until(condition: Callable[[], bool], seconds: float = 15, why: str = "timed out") -> None:
    """Polls `condition` every 20 ms; fails (AssertionError `why`) after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, why
        time.sleep(0.02)
