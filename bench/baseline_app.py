"""The baseline for the member-read benchmark: a bare WSGI app that answers each request by running, with psycopg
and one persistent connection per thread, exactly the SQL our API ran for that member's token (recorded by
bench/reads.py into BENCH_REPLAY, a pickle of token → [(sql, params), ...]) and returning the rows as JSON."""

from __future__ import annotations

import json
import os
import pickle
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg

REPLAY: dict[str, list[tuple[str, Any]]] = pickle.loads(Path(os.environ["BENCH_REPLAY"]).read_bytes())
_local = threading.local()


def _connection() -> psycopg.Connection[Any]:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(os.environ["BENCH_DSN"], autocommit=True)
        _local.conn = conn
    return conn


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    queries = REPLAY.get(token)
    if queries is None:
        start_response("401 Unauthorized", [("Content-Type", "application/json")])
        return [b"{}"]
    conn = _connection()
    rows = []
    for sql, params in queries:
        rows.append(conn.execute(sql, params).fetchall())
    body = json.dumps(rows, default=str).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
