"""Starts the app the way production serves it (gunicorn workers, static files by WhiteNoise from
collectstatic output, persistent database connections) on a free loopback port, for the HTTP benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the app's own gunicorn settings (a preloaded, warmed-up master, frozen for the collector): served as in production
CONFIG = "python:jaminanku.core.gunicorn_conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 30, ok_statuses: frozenset[int] | set[int] = frozenset({200})) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError as exc:
            if exc.code in ok_statuses:
                return
            raise
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def server_env(**extra: str) -> dict[str, str]:
    static_root = Path(tempfile.gettempdir()) / "jaminanku-bench-static"
    env = {
        **os.environ,
        "DEBUG": "0",
        "STATIC_ROOT": str(static_root),
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return env


@contextlib.contextmanager
def gunicorn(
    *,
    workers: int = 2,
    threads: int = 4,
    port: int | None = None,
    app: str = "jaminanku.wsgi:application",
    env: dict[str, str] | None = None,
    config: str | None = CONFIG,
) -> Iterator[str]:
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            *(["--config", config] if config else []),
        ],
        cwd=ROOT,
        env=server_env(**(env or {})),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/v1/health", ok_statuses={200, 401})
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
