"""Scaling out: two app processes (gunicorn) behind nginx, sharing one PostgreSQL and one Redis (cache and rate
limits). Reports member reads/s at 8 clients through nginx against one process alone (the baseline), and shows
that the limits hold across processes, with requests alternating between the two: login lockout after
AXES_FAILURE_LIMIT wrong passwords, the per-address limit on starting code sends, and the 5 tries of a code."""

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
  upstream app {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 32; }}
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
def nginx(a: int, b: int) -> Iterator[str]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX.format(tmp=tmp, user=user, a=a, b=b, port=port))
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


def _login_lockout(a: str, b: str, email: str, password: str, limit: int) -> dict[str, Any]:
    from axes.utils import reset as axes_reset

    try:
        statuses = [
            _post((a, b)[n % 2] + "/api/v1/accounts/login", {"email": email, "password": "salah-sekali"})[0]
            for n in range(limit)
        ]
        after, _body = _post(b + "/api/v1/accounts/login", {"email": email, "password": password})
    finally:  # lift the lockout, so that a later run can log the demo member in (bench.homepage does)
        axes_reset(username=email)
    # 200 (a trusted device) or 202 (the second step) would mean the right password got through the lockout
    return {"wrong": statuses, "right_after_limit": after, "holds": after not in (200, 202)}


def _code_starts(a: str, b: str, limit: int) -> dict[str, Any]:
    statuses = [_post((a, b)[n % 2] + "/api/v1/signup/", {"email": f"mulai{n}@contoh.id"})[0] for n in range(limit + 1)]
    return {"statuses": statuses, "holds": all(s == 201 for s in statuses[:limit]) and statuses[limit] == 429}


def _code_tries(a: str, b: str) -> dict[str, Any]:
    from jaminanku.notify.models import OutboundMessage

    email = "coba.kode@contoh.id"
    status, flow = _post(a + "/api/v1/signup/", {"email": email})
    assert status == 201, flow
    body = OutboundMessage.objects.filter(to=email).order_by("-id").values_list("body", flat=True).first() or ""
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    statuses = [
        _post((b, a)[n % 2] + f"/api/v1/signup/{flow['flow_id']}/email/verify", {"code": wrong})[0] for n in range(5)
    ]
    right, _ = _post(b + f"/api/v1/signup/{flow['flow_id']}/email/verify", {"code": code})
    return {"wrong": statuses, "right_after_five": right, "holds": right != 200}


def run(*, quick: bool) -> list[Result]:
    from django.conf import settings

    from jaminanku.demo.identity import demo_member_login
    from jaminanku.registry.models import Person

    seconds = 3 if quick else 15
    persons = list(Person.objects.filter(memberships__segment="PU").distinct().order_by("pk")[:20])
    tokens, _replay = _tokens_and_replay(persons)
    login = demo_member_login()
    assert login is not None
    starts_limit = int(str(settings.ACCOUNTS_CODE_STARTS_PER_IP).split("/")[0])
    with redis() as redis_url:
        env = {"REDIS_URL": redis_url, "ACCOUNTS_CODE_STARTS_PER_IP": f"{starts_limit}/h"}
        with gunicorn(workers=1, threads=4, env=env) as one:
            single = run_wrk(one, PATH, tokens, clients=8, seconds=seconds)
        a_port, b_port = free_port(), free_port()
        with (
            gunicorn(workers=1, threads=4, port=a_port, env=env) as a,
            gunicorn(workers=1, threads=4, port=b_port, env=env) as b,
        ):
            with nginx(a_port, b_port) as front:
                both = run_wrk(front, PATH, tokens, clients=8, seconds=seconds)
            checks = {
                "login_lockout": _login_lockout(a, b, login["email"], login["password"], settings.AXES_FAILURE_LIMIT),
                "code_tries": _code_tries(a, b),  # uses one code start of this address
                "code_starts_per_address": _code_starts(a, b, starts_limit - 1),
            }
    return [
        Result(
            name="scaleout",
            title="Two processes behind nginx vs one (8 clients)",
            unit="requests/s",
            ours=both.requests_per_second,
            baseline=single.requests_per_second,
            target="limits hold across processes",
            met=all(c["holds"] for c in checks.values()) and both.errors == 0,
            size={"seconds": seconds},
            details={"two": vars(both), "one": vars(single), "checks": checks},
        )
    ]
