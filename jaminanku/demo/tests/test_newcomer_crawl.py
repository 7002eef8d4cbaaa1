"""What a newcomer meets: `make run`'s steps on an empty var/ (migrate, createcachetable, prepare_demo), then
every page the app links to and every file those pages link to (card images and PDFs, the QR code's /verify/
page, the public key), as a visitor and as each demo member printed, logged in through the real two steps.

Everything runs in processes of their own with `make run`'s environment: DEBUG=1, a fresh JAMINANKU_VAR_DIR and
none of the settings this test session has (no card key, no breached-password service, no test database), so
whatever `make run` does not make, the crawl does not have either. On SQLite the database is var/'s own file, as
in `make run`; under scripts/with-postgres it is a new database in that PostgreSQL. The crawl itself is
newcomer_crawl.py."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
PERSONS = 60
# pages that show a member's own data: they must not be kept by a browser's or a proxy's cache (ASVS 14.3.2)
PERSONAL_PREFIXES = ("/saldo/", "/klaim/", "/antrian/", "/kartu/", "/akun/")
PUBLIC_FILES = ("/kartu/kunci-publik.pem",)

pytestmark = pytest.mark.slow


def _settings_variables() -> set[str]:
    """Every environment variable settings.py reads: none of this session's values may reach `make run`'s."""
    source = (ROOT / "jaminanku" / "settings.py").read_text()
    return set(re.findall(r"""(?:environ\.get|env_bool|env_list)\(\s*["']([A-Z0-9_]+)["']""", source))


@pytest.fixture(scope="module")
def database_url() -> Iterator[str | None]:
    """None on SQLite (var/'s file, as `make run` has); a new, empty database under scripts/with-postgres."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    name = f"newcomer_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args: list[str], env: dict[str, str], timeout: int) -> str:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    return result.stdout


def _printed_logins(printed: str) -> dict[str, list[str]]:
    """The demo member logins as prepare_demo prints them for the newcomer: which member, email, password."""
    logins: dict[str, list[str]] = {}
    lines = printed.splitlines()
    for who, heading in (("active", "Active member"), ("claimant", "Member who may claim JHT")):
        at = next((i for i, line in enumerate(lines) if line.strip().startswith(heading)), None)
        assert at is not None, f"prepare_demo printed no {heading!r} login:\n{printed}"
        found = re.fullmatch(r"\s*email: (\S+)\s+password: (\S+)\s*", lines[at + 1])
        assert found, lines[at + 1]
        logins[who] = list(found.groups())
    return logins


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, database_url) -> dict[str, list[dict[str, Any]]]:
    env = {k: v for k, v in os.environ.items() if k not in _settings_variables() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DEBUG="1", JAMINANKU_VAR_DIR=str(tmp_path_factory.mktemp("var")))
    if database_url:
        env["DATABASE_URL"] = database_url
    # the Makefile's `run` target, step by step (its `messages` step: the session's start compiled them)
    _run(["manage.py", "migrate", "--no-input", "-v0"], env, timeout=300)
    _run(["manage.py", "createcachetable"], env, timeout=60)
    printed = _run(["manage.py", "prepare_demo", "--persons", str(PERSONS)], env, timeout=300)
    report = _run(["-m", "jaminanku.demo.tests.newcomer_crawl", json.dumps(_printed_logins(printed))], env, timeout=900)
    return json.loads(report.strip().splitlines()[-1])


def test_no_page_or_file_a_newcomer_can_reach_answers_a_server_error(crawled):
    failures = [
        f"{who}: {answer['status']} {answer['url']} (linked from {answer['found_on'] or 'the start'})\n"
        f"{answer['traceback'][-2500:]}"
        for who, answers in crawled.items()
        for answer in answers
        if answer["status"] >= 500
    ]
    assert not failures, "\n".join(failures)
    # the crawl did reach what the newcomer met broken: each member's card image and PDF, the QR code's page
    reached = {answer["url"].split("?")[0] for answers in crawled.values() for answer in answers}
    for who in ("active", "claimant"):
        urls = {answer["url"].split("?")[0] for answer in crawled[who] if answer["status"] == 200}
        assert any(re.fullmatch(r"/kartu/\d{11}\.png", url) for url in urls), who
        assert any(re.fullmatch(r"/kartu/\d{11}\.pdf", url) for url in urls), who
        assert any(url.startswith("/verify/") for url in urls), who
    assert "/kartu/kunci-publik.pem" in reached
    assert {"/", "/masuk/", "/daftar/", "/kantor/", "/program/", "/kalkulator/", "/berita/"} <= reached


def test_pages_with_a_members_personal_data_are_not_kept_in_any_cache(crawled):
    """Pages under the members' own areas, and any page naming the member, answer `no-store`."""
    kept = [
        f"{who}: {answer['url']} Cache-Control: {answer['cache_control']!r}"
        for who in ("active", "claimant")
        for answer in crawled[who]
        if 200 <= answer["status"] < 300
        and answer["url"] not in PUBLIC_FILES
        and (answer["url"].startswith(PERSONAL_PREFIXES) or answer["names_the_member"])
        and "no-store" not in answer["cache_control"]
    ]
    assert not kept, "\n".join(kept)
