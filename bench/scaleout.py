"""Scaling out: four app processes (gunicorn, one worker each) behind nginx, connecting to PostgreSQL through
PgBouncer in transaction mode (bench/pgbouncer.py; the app with DATABASE_PGBOUNCER=1: no named prepared
statements, no server-side cursors), sharing one Redis (cache and rate limits). Reports member reads/s at 8 clients
through nginx against one process connected straight to PostgreSQL (the baseline); in its details also four
processes straight to PostgreSQL, which parts PgBouncer's own cost from the processes'. Shows that the limits hold
across processes and through PgBouncer, with requests going round the four: login lockout after AXES_FAILURE_LIMIT
wrong passwords, the per-address limit on starting code sends, and the 5 tries of a code.

On a machine with fewer cores than processes (this one has 2, shared with PostgreSQL, PgBouncer, nginx and wrk)
the ratio shows that the processes, PgBouncer and the shared limits work together and what the extra hops cost,
not how far reads scale: that needs the app processes on cores (or machines) of their own."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import Result
from bench.pgbouncer import pgbouncer, through
from bench.reads import PATH, _tokens_and_replay
from bench.server import free_port, gunicorn, wait_for
from bench.wrk import run_wrk

NGINX = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  upstream app {{ {servers} keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }}
  }}
}}
"""


@contextlib.contextmanager
def redis() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def nginx(ports: list[int]) -> Iterator[str]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = Path(tmp) / "nginx.conf"
        servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
        conf.write_text(NGINX.format(tmp=tmp, user=user, servers=servers, port=port))
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        process = subprocess.Popen([binary, "-c", str(conf), "-p", tmp, "-g", "daemon off;"])
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(url + "/api/v1/health")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _login_lockout(apps: list[str], email: str, password: str, limit: int) -> dict[str, Any]:
    from axes.utils import reset as axes_reset

    try:
        statuses = [
            _post(apps[n % len(apps)] + "/api/v1/accounts/login", {"email": email, "password": "salah-sekali"})[0]
            for n in range(limit)
        ]
        after, _body = _post(apps[limit % len(apps)] + "/api/v1/accounts/login", {"email": email, "password": password})
    finally:  # lift the lockout, so that a later run can log the demo member in (bench.homepage does)
        axes_reset(username=email)
    # 200 (a trusted device) or 202 (the second step) would mean the right password got through the lockout
    return {"wrong": statuses, "right_after_limit": after, "holds": after not in (200, 202)}


def _code_starts(apps: list[str], limit: int) -> dict[str, Any]:
    statuses = [
        _post(apps[n % len(apps)] + "/api/v1/signup/", {"email": f"mulai{n}@contoh.id"})[0] for n in range(limit + 1)
    ]
    return {"statuses": statuses, "holds": all(s == 201 for s in statuses[:limit]) and statuses[limit] == 429}


def _code_tries(apps: list[str]) -> dict[str, Any]:
    from jaminanku.notify.models import OutboundMessage

    email = "coba.kode@contoh.id"
    status, flow = _post(apps[0] + "/api/v1/signup/", {"email": email})
    assert status == 201, flow
    body = OutboundMessage.objects.filter(to=email).order_by("-id").values_list("body", flat=True).first() or ""
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    verify = f"/api/v1/signup/{flow['flow_id']}/email/verify"
    statuses = [_post(apps[(n + 1) % len(apps)] + verify, {"code": wrong})[0] for n in range(5)]
    right, _ = _post(apps[6 % len(apps)] + verify, {"code": code})
    return {"wrong": statuses, "right_after_five": right, "holds": right != 200}


PROCESSES = 4
LOOPBACK = "127.0.0.1"  # the address the app processes see the checks' requests come from


@contextlib.contextmanager
def _processes(n: int, env: dict[str, str]) -> Iterator[tuple[list[str], list[int]]]:
    """n gunicorn processes of one worker with 4 threads each (one process per core on a machine with n)."""
    ports = [free_port() for _ in range(n)]
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(gunicorn(workers=1, threads=4, port=p, env=env)) for p in ports]
        yield urls, ports


def _pgbouncer_stats(port: int) -> dict[str, Any]:
    """PgBouncer's own count of transactions and of the server connections it opened (its admin console)."""
    import psycopg
    from django.db import connection

    name, user = connection.settings_dict["NAME"], connection.settings_dict["USER"]
    with psycopg.connect(host="127.0.0.1", port=port, dbname="pgbouncer", user=user, autocommit=True) as admin:
        admin.prepare_threshold = None
        stats = admin.execute("SHOW STATS")
        columns = [c.name for c in stats.description or []]
        row = next((dict(zip(columns, r, strict=True)) for r in stats.fetchall() if r[0] == name), {})
        pools = admin.execute("SHOW POOLS")
        pool_columns = [c.name for c in pools.description or []]
        pool = next((dict(zip(pool_columns, r, strict=True)) for r in pools.fetchall() if r[0] == name), {})
    return {
        "transactions": int(row.get("total_xact_count", 0)),
        "queries": int(row.get("total_query_count", 0)),
        "server_connections": int(pool.get("sv_active", 0)) + int(pool.get("sv_idle", 0)) + int(pool.get("sv_used", 0)),
    }


def run(*, quick: bool) -> list[Result]:
    from django.conf import settings

    from jaminanku.accounts.code_starts import lift_code_starts_limit
    from jaminanku.demo.identity import demo_member_login
    from jaminanku.registry.models import Person

    seconds = 3 if quick else 15
    persons = list(Person.objects.filter(memberships__segment="PU").distinct().order_by("pk")[:20])
    tokens, _replay = _tokens_and_replay(persons)
    login = demo_member_login()
    assert login is not None
    starts_limit = int(str(settings.ACCOUNTS_CODE_STARTS_PER_IP).split("/")[0])
    database_url = os.environ["DATABASE_URL"]
    with redis() as redis_url:
        env = {"REDIS_URL": redis_url, "ACCOUNTS_CODE_STARTS_PER_IP": f"{starts_limit}/h"}
        with gunicorn(workers=1, threads=4, env=env) as one:
            single = run_wrk(one, PATH, tokens, clients=8, seconds=seconds)
        with _processes(PROCESSES, env) as (_urls, ports), nginx(ports) as front:
            direct = run_wrk(front, PATH, tokens, clients=8, seconds=seconds)
        # PgBouncer: 16 threads' connections share 8 server connections; jit off as the direct connections set it
        with pgbouncer(database_url, pool_size=8, connect_query="SET jit = off") as bouncer:
            bounced = {**env, "DATABASE_URL": through(database_url, bouncer), "DATABASE_PGBOUNCER": "1"}
            with _processes(PROCESSES, bounced) as (apps, ports):
                with nginx(ports) as front:
                    four = run_wrk(front, PATH, tokens, clients=8, seconds=seconds)
                # the code starts are counted in the database and outlive the run (an hour's window): the last
                # run's, an hour ago or less, would refuse this one's first start
                lift_code_starts_limit(client_ip=LOOPBACK)
                try:
                    checks = {
                        "login_lockout": _login_lockout(
                            apps, login["email"], login["password"], settings.AXES_FAILURE_LIMIT
                        ),
                        "code_tries": _code_tries(apps),  # uses one code start of this address
                        "code_starts_per_address": _code_starts(apps, starts_limit - 1),
                    }
                finally:
                    lift_code_starts_limit(client_ip=LOOPBACK)
            stats = _pgbouncer_stats(bouncer)
    return [
        Result(
            name="scaleout",
            title=f"{PROCESSES} processes via PgBouncer (transaction mode) behind nginx vs one direct (8 clients)",
            unit="requests/s",
            ours=four.requests_per_second,
            baseline=single.requests_per_second,
            target="limits hold across processes and through PgBouncer",
            met=all(c["holds"] for c in checks.values()) and four.errors == 0 and direct.errors == 0,
            size={"seconds": seconds, "processes": PROCESSES, "pool_size": 8},
            details={
                "four_via_pgbouncer": vars(four),
                "four_direct": vars(direct),
                "one": vars(single),
                "pgbouncer_vs_direct": round(four.requests_per_second / direct.requests_per_second, 3)
                if direct.requests_per_second
                else None,
                "pgbouncer": stats,
                "cores": os.cpu_count(),
                "checks": checks,
            },
        )
    ]
