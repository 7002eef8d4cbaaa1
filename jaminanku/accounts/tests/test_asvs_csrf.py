"""ASVS 5.0 3.5.1: every state-changing request from a browser carries an anti-forgery token. Walks every URL
pattern of the site (member pages, staff pages, the admin) and posts to it without a token; the API, whose
endpoints are exempt as a whole, is checked by how each of its credentials behaves."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from jaminanku.accounts.tests.helpers import api_login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
PAYOUT_CALLBACK = "/staf/pembayaran-klaim/xendit-callback/"
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": str(uuid.UUID(int=1))}


def _walk(patterns, prefix: str = ""):
    """Every concrete path of the URL configuration, with a sample value for each converter. Yields
    (path, None) or (None, regex) for the few regex patterns, which are reported."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], str(pattern))
        else:
            part = str(pattern).lstrip("^").rstrip("$")
            if re.search(r"[(\[\\|?*+]", part):
                yield None, prefix + part
                continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part, None


def _site_paths() -> tuple[list[str], list[str]]:
    paths, regexes = [], []
    for path, regex in _walk(get_resolver().url_patterns):
        if regex is not None:
            regexes.append(regex)
        elif not path.startswith("/api/"):
            paths.append(path)
    return sorted(set(paths)), regexes


def test_the_walk_covers_member_staff_and_admin_pages():
    paths, regexes = _site_paths()
    for expected in ("/masuk/", "/keluar/", "/daftar/x/", "/akun/kata-sandi/", "/i18n/setlang/", "/admin/login/"):
        assert expected in paths
    assert len(paths) > 100
    assert all(r.startswith("admin/") for r in regexes)  # only the admin's app index uses a regex


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "staff"])
def test_every_post_without_a_csrf_token_is_refused(logged_in, staff_user):
    browser = Client(enforce_csrf_checks=True)
    if logged_in:
        browser.force_login(staff_user)
    paths, regexes = _site_paths()
    paths += ["/admin/auth/"]  # the admin app index (a regex pattern)
    accepted = {path: browser.post(path, {"x": "1"}).status_code for path in paths}
    # The payout provider's callback is no browser's form: it carries no CSRF token and is authenticated by its
    # own shared token instead, refused (401) without it.
    assert accepted.pop(PAYOUT_CALLBACK) == 401
    assert {path: status for path, status in accepted.items() if status != 403} == {}


def test_a_post_with_the_token_gets_through(registered):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/masuk/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/masuk/", {"username": registered.email, "password": registered.password, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_every_post_form_in_the_templates_carries_the_token():
    missing = []
    for template in ROOT.joinpath("jaminanku").rglob("templates/**/*.html"):
        text = template.read_text()
        for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, flags=re.S | re.I):
            if re.search(r'method="post"', form.group(0)[:300], flags=re.I) and "{% csrf_token %}" not in form.group(1):
                missing.append(str(template.relative_to(ROOT)))
    assert missing == []


def test_api_with_the_web_session_needs_the_csrf_token_but_a_bearer_token_does_not(registered):
    user = registered.worker.person.member_profile.user
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    body = json.dumps({})
    assert browser.post("/api/v1/accounts/logout", body, content_type="application/json").status_code == 403
    browser.get("/akun/")
    token = browser.cookies["csrftoken"].value
    ok = browser.post("/api/v1/accounts/logout", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200
    login = api_login(Client(), registered.email, registered.password)
    bearer = Client(enforce_csrf_checks=True).post(
        "/api/v1/accounts/logout",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {login['token']}",
    )
    assert bearer.status_code == 200  # a bearer token is not sent by the browser on its own: no forgery possible
