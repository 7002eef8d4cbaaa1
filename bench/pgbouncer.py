"""Starts PgBouncer (Debian's package, installed by scripts/system-deps) in transaction mode in front of the
throwaway cluster of scripts/with-postgres, for the scale-out benchmark (bench/scaleout.py) and the test that the
app works through it (jaminanku/core/tests/test_pgbouncer.py).

Every database name is passed on to the cluster as it is (`* = ...`), so the test database reaches it too. The
clients are trusted, as the cluster behind it trusts them (auth_type trust; a real deployment uses scram, see
docs/deployment.md). PgBouncer listens on a loopback port only, with no unix socket, and its files live in a
temporary directory removed afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

BINARY = "/usr/sbin/pgbouncer"

CONFIG = """
[databases]
* = host={host} port={port} {connect_query}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {tmp}/userlist.txt
pool_mode = transaction
default_pool_size = {pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 1000
server_round_robin = {round_robin}
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
logfile = {tmp}/pgbouncer.log
pidfile = {tmp}/pgbouncer.pid
admin_users = {user}
{user_line}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def through(url: str, port: int) -> str:
    """DATABASE_URL with its host and port replaced by PgBouncer's (the socket directory in `host=` dropped)."""
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qs(parts.query).items() if k not in {"host", "port"}}
    user = parts.username or ""
    netloc = f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, doseq=True), ""))


def _server(url: str) -> tuple[str, str, str]:
    """The cluster's host (a socket directory), port and user from DATABASE_URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
    port = query.get("port", [str(parts.port or 5432)])[0]
    return host, port, parts.username or "postgres"


@contextlib.contextmanager
def pgbouncer(
    database_url: str, *, pool_size: int = 8, round_robin: bool = False, connect_query: str = ""
) -> Iterator[int]:
    """PgBouncer in transaction mode in front of DATABASE_URL's cluster, at most `pool_size` server connections
    per database and user; yields its port. `round_robin` hands out the server connections in turn rather than
    the last one used, so that a client's next transaction lands on another one whenever there is one.
    `connect_query` runs once on each new server connection (a session setting, e.g. `SET jit = off`)."""
    binary = shutil.which("pgbouncer") or BINARY
    host, port, user = _server(database_url)
    listen = _free_port()
    with tempfile.TemporaryDirectory(prefix="jaminanku-pgbouncer.") as tmp:
        os.chmod(tmp, 0o755)
        Path(tmp, "userlist.txt").write_text(f'"{user}" ""\n')
        query = f"connect_query='{connect_query}'" if connect_query else ""
        # PgBouncer refuses to run as root; scripts/with-postgres runs the cluster as `postgres` then
        user_line = "user = postgres" if os.geteuid() == 0 else ""
        conf = Path(tmp, "pgbouncer.ini")
        conf.write_text(
            CONFIG.format(
                host=host,
                port=port,
                connect_query=query,
                listen=listen,
                tmp=tmp,
                pool_size=pool_size,
                round_robin=int(round_robin),
                user=user,
                user_line=user_line,
            )
        )
        if os.geteuid() == 0:
            shutil.chown(tmp, "postgres")
        process = subprocess.Popen([binary, "-q", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(listen, process, Path(tmp, "pgbouncer.log"))
            yield listen
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"pgbouncer stopped: {log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("pgbouncer did not listen")
        time.sleep(0.05)
