"""ASVS 5.0 V7 (session management), level 2, as listed in docs/security.md: a new session id at login, logout and
password changes ending sessions on the server (an old cookie replayed gets nowhere), API tokens revoked with
the password, closed or deactivated accounts logged out, the idle and absolute session limits, and a way out on
every page."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client

from jaminanku.accounts import services
from jaminanku.accounts.sessions.middleware import SEEN_KEY, STARTED_KEY
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, api_login, code_sent_to, login_trusted

pytestmark = pytest.mark.django_db
COOKIE = settings.SESSION_COOKIE_NAME


def _login(browser: Client, registered) -> str:
    """From a device that passed the second step before (tests of that step: test_second_factor.py)."""
    response = login_trusted(browser, registered.email, registered.password)
    assert response["Location"] == "/"
    return browser.cookies[COOKIE].value


def _replay(session_id: str) -> Client:
    """A fresh browser that presents a stolen or old session cookie."""
    thief = Client()
    thief.cookies[COOKIE] = session_id
    return thief


def _logged_in(browser: Client) -> bool:
    return browser.get("/akun/").status_code == 200


def _token(registered, password=None) -> str:
    return api_login(Client(), registered.email, password or registered.password)["token"]


def _api_ok(token: str) -> bool:
    return Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


# --- 7.2 --------------------------------------------------------------------------------------------------------
def test_login_gives_a_new_session_id_and_ends_the_anonymous_one(registered):
    browser = Client()
    browser.post("/daftar/", {"email": "siapa@example.com"})  # an anonymous session with a sign-up in it
    before = browser.cookies[COOKIE].value
    assert Session.objects.filter(session_key=before).exists()
    after = _login(browser, registered)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert not _logged_in(_replay(before))  # a session id fixed before login is worth nothing after it


def test_session_ids_are_random_server_side_references_of_at_least_128_bits(registered):
    ids = {_login(Client(), registered) for _ in range(3)}
    assert len(ids) == 3
    for session_id in ids:
        # Django: 32 characters of [a-z0-9] from `secrets` ≈ 165 bits; the cookie holds only the reference
        assert re.fullmatch(r"[a-z0-9]{32}", session_id)
        assert Session.objects.filter(session_key=session_id).exists()


# --- 7.4 --------------------------------------------------------------------------------------------------------
def test_logout_deletes_the_session_on_the_server_so_a_replayed_cookie_fails(registered):
    browser = Client()
    session_id = _login(browser, registered)
    assert _logged_in(_replay(session_id))
    browser.post("/keluar/")
    assert not Session.objects.filter(session_key=session_id).exists()
    assert not _logged_in(_replay(session_id))


def test_password_change_ends_other_sessions_and_revokes_api_tokens_but_keeps_this_one(registered):
    here, other = Client(), Client()
    here_id = _login(here, registered)
    other_id = _login(other, registered)
    token = _token(registered)
    response = here.post("/akun/kata-sandi/", {"current_password": registered.password, "password": GOOD_PASSWORD})
    assert response["Location"] == "/akun/"
    assert _logged_in(here)
    assert here.cookies[COOKIE].value != here_id and not _logged_in(_replay(here_id))  # re-authenticated: new id
    assert not _logged_in(other) and not _logged_in(_replay(other_id))
    assert not _api_ok(token)


def test_password_change_on_the_api_ends_web_sessions_and_other_tokens(registered):
    web = Client()
    session_id = _login(web, registered)
    old, other = _token(registered), _token(registered)
    changed = Client().post(
        "/api/v1/accounts/password",
        json.dumps({"current_password": registered.password, "password": GOOD_PASSWORD}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {old}",
    )
    assert changed.status_code == 200 and _api_ok(changed.json()["token"])
    assert not _api_ok(old) and not _api_ok(other)
    assert not _logged_in(_replay(session_id))


def test_password_reset_ends_every_session_and_api_token(registered):
    device = Client()
    session_id = _login(device, registered)
    token = _token(registered)
    helper = Client()
    helper.post("/lupa-sandi/", {"email": registered.email})
    done = helper.post("/lupa-sandi/kode/", {"code": code_sent_to(registered.email), "password": GOOD_PASSWORD})
    assert done["Location"] == "/masuk/"
    assert not _logged_in(device) and not _logged_in(_replay(session_id))
    assert not _api_ok(token)


def test_closing_or_deactivating_an_account_ends_its_sessions_and_tokens(registered, staff_client):
    user = registered.worker.person.member_profile.user
    browser = Client()
    _login(browser, registered)
    token = _token(registered)
    # an officer deactivates the login in the admin (ASVS 7.4.5: one user's sessions end)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _logged_in(browser) and not _api_ok(token)
    user.is_active = True
    user.save(update_fields=["is_active"])
    browser = Client()
    _login(browser, registered)
    services.close_account(user=User.objects.get(pk=user.pk))  # an approved account-reset request
    assert not _logged_in(browser)


# --- 7.3 --------------------------------------------------------------------------------------------------------
def _age_session(browser: Client, *, idle: float = 0, since_login: float = 0) -> None:
    session = browser.session
    now = time.time()
    session[SEEN_KEY] = int(now - idle)
    session[STARTED_KEY] = int(now - since_login)
    session.save()


def test_a_session_ends_after_the_idle_limit_and_activity_keeps_it_alive(registered):
    idle = settings.ACCOUNTS_SESSION_IDLE_MINUTES * 60
    browser = Client()
    session_id = _login(browser, registered)
    _age_session(browser, idle=idle - 60, since_login=idle - 60)
    assert _logged_in(browser)
    assert time.time() - browser.session[SEEN_KEY] < 5  # the request counted as activity
    _age_session(browser, idle=idle + 1, since_login=idle + 1)
    assert not _logged_in(browser)
    assert not Session.objects.filter(session_key=session_id).exists()


def test_a_session_ends_at_the_absolute_limit_however_active(registered):
    browser = Client()
    _login(browser, registered)
    _age_session(browser, idle=0, since_login=settings.ACCOUNTS_SESSION_MAX_HOURS * 3600 + 1)
    assert not _logged_in(browser)
    assert settings.SESSION_COOKIE_AGE == settings.ACCOUNTS_SESSION_MAX_HOURS * 3600  # the cookie dies with it


def test_the_limits_are_an_hour_idle_and_a_day_in_all(registered):
    assert settings.ACCOUNTS_SESSION_IDLE_MINUTES == 60 and settings.ACCOUNTS_SESSION_MAX_HOURS == 24


# --- 7.4.4 ------------------------------------------------------------------------------------------------------
def test_every_member_page_reaches_logout_in_one_tap(registered):
    browser = Client()
    _login(browser, registered)
    for path in ["/", "/kartu/", "/antrian/", "/kantor/", "/kalkulator/", "/program/"]:
        assert 'href="/akun/"' in browser.get(path).content.decode(), path
    account = browser.get("/akun/").content.decode()
    assert '<form method="post" action="/keluar/"' in account


def test_an_operator_can_log_out_one_login_or_everybody(registered, staff_user):
    """7.4.5: `manage.py end_sessions --user EMAIL` ends one member's sessions and tokens; without --user,
    everybody's (an incident)."""
    from django.core.management import call_command

    member, other = Client(), Client()
    member_id = _login(member, registered)
    token = _token(registered)
    other.force_login(staff_user)
    call_command("end_sessions", "--user", registered.email.upper(), stdout=io.StringIO())
    assert not _logged_in(_replay(member_id)) and not _api_ok(token)
    assert other.get("/admin/").status_code == 200
    call_command("end_sessions", stdout=io.StringIO())
    assert other.get("/admin/").status_code == 302 and not Session.objects.exists()
