"""The short middleware chain of a bearer-token read (core/middleware_bearer.py, issue 27): the same answers, headers
and all, as through the site's whole chain; no cookie ever logs such a call in; writes keep the whole chain and its
CSRF check; an unreachable database is still a 503 to retry."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.member import api as member_api
from jaminanku.member.tests.conftest import Member

BYPASS = "jaminanku.core.middleware_bearer.BearerReadMiddleware"
WHOLE_CHAIN = [m for m in settings.MIDDLEWARE if m != BYPASS]
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "private, no-store",
}


def _bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}


def _answer(response) -> tuple[int, bytes, dict[str, str]]:
    return response.status_code, response.content, dict(response.headers)


def test_the_bypass_is_in_the_settings_right_after_the_security_headers():
    chain = settings.MIDDLEWARE
    assert chain.index(BYPASS) == chain.index("django.middleware.security.SecurityMiddleware") + 1


def test_every_bearer_read_answers_as_through_the_whole_chain(member: Member, other_member: Member):
    headers = _bearer(member.user)
    calls = [
        ("/api/v1/me/balance", headers),
        (f"/api/v1/me/kpj/{member.kpj}/years", headers),
        (f"/api/v1/me/kpj/{member.kpj}/statement?year=2025", headers),
        (f"/api/v1/me/kpj/{other_member.kpj}/years", headers),  # another's KPJ: 404
        ("/api/v1/accounts/me", headers),
        ("/api/v1/accounts/sessions", headers),
        ("/api/v1/me/balance", {"Authorization": "Bearer not-a-token"}),  # 401
        ("/api/v1/me/balance", {"Authorization": "Bearer "}),
        ("/api/v1/tidak-ada", headers),  # 404
        ("/api/v1/me/balance", {**headers, "Accept-Language": "en"}),  # the language from the header
    ]
    short, whole = Client(), Client()
    for path, call_headers in calls:
        short.get(path, headers=call_headers)  # a first call writes the token's last use
        ours = _answer(short.get(path, headers=call_headers))
        with override_settings(MIDDLEWARE=WHOLE_CHAIN):
            theirs = _answer(whole.get(path, headers=call_headers))
        assert ours == theirs, path
    status, _content, answer_headers = _answer(short.get("/api/v1/me/balance", headers=headers))
    assert status == 200
    assert SECURITY_HEADERS.items() <= answer_headers.items()
    head = _answer(short.head("/api/v1/me/balance", headers=headers))  # ninja answers 405 to HEAD
    with override_settings(MIDDLEWARE=WHOLE_CHAIN):
        assert head == _answer(whole.head("/api/v1/me/balance", headers=headers))


def test_a_bearer_read_is_never_the_user_of_the_session_cookie(client, member: Member, other_member: Member):
    client.force_login(member.user)
    assert client.get("/api/v1/me/balance").status_code == 200  # the session alone may read (the web's own calls)
    refused = client.get("/api/v1/me/balance", headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401
    assert "Set-Cookie" not in refused and "sessionid" not in refused.cookies
    theirs = client.get("/api/v1/me/balance", headers=_bearer(other_member.user))
    assert theirs.status_code == 200
    assert theirs.json()["kpjs"][0]["kpj"] == other_member.kpj  # the token's member, not the session's
    assert client.get("/api/v1/me/balance").json()["kpjs"][0]["kpj"] == member.kpj  # the session is untouched


def test_a_write_with_a_bearer_header_keeps_the_csrf_check_of_its_session_cookie(member: Member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member.user)
    forged = browser.post(
        "/api/v1/accounts/logout",
        "{}",
        content_type="application/json",
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert forged.status_code in (401, 403)
    assert browser.get("/api/v1/me/balance").status_code == 200  # still logged in: the forged write did nothing


@pytest.mark.django_db
def test_an_unreachable_database_on_a_bearer_read_is_a_503_to_retry(member: Member, monkeypatch):
    def unreachable(key_hash, now):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        member_api.balance_auth,
        "read",
        unreachable,
    )
    response = Client(raise_request_exception=False).get("/api/v1/me/balance", headers=_bearer(member.user))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"


def test_a_member_born_on_29_february_reads_the_same_pension_date_both_ways(client, member: Member):
    person = member.membership.person
    person.date_of_birth = date(1968, 2, 29)
    person.save(update_fields=["date_of_birth"])
    body = client.get("/api/v1/me/balance", headers=_bearer(member.user)).json()
    client.force_login(member.user)
    assert body == client.get("/api/v1/me/balance").json()
