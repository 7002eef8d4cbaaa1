"""The 60-second resend wait and the 5-an-hour budget of one-time codes are counted per purpose, through the real
pages and API:

- a password reset for a registered email does not make the sign-up answer differently for that email than for
  one without an account (ASVS 6.3.8): the wait of one flow says nothing of another flow's code;
- a stranger who spends the sign-up budget of a member's address leaves the member's login and password reset
  working (ASVS 6.1.1).

The clock is moved with time-machine, as the pages and the API read the time themselves."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
UNKNOWN = "belum.terdaftar@example.com"
MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def _browser(address: str) -> Client:
    """An independent browser (its own cookies) from its own address."""
    return Client(REMOTE_ADDR=address)


def _api(client: Client, path: str, data: dict):
    return client.post(f"/api/v1{path}", json.dumps(data), content_type="application/json")


def _shape(body: dict, email: str) -> dict:
    """The answer with what differs by nature taken out: the flow's random id, its clock, and the typed email."""
    return {
        key: ("<typed>" if value == email else type(value).__name__ if key in ("flow_id", "expires_at") else value)
        for key, value in body.items()
    }


def _same_page(html: str, email: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "TYPED")


# --- 6.3.8: a sign-up right after a password reset ------------------------------------------------------------
def test_api_signup_after_a_password_reset_answers_alike_for_a_registered_and_an_unknown_email(registered):
    answers = []
    for n, email in enumerate((registered.email, UNKNOWN)):
        browser = _browser(f"10.3.0.{n + 1}")
        assert _api(browser, "/accounts/password-reset", {"email": email}).status_code == 200
        started = _api(browser, "/signup/", {"email": email})
        answers.append((started.status_code, _shape(started.json(), email)))
    assert OutboundMessage.objects.filter(to=registered.email).count() == 2  # the reset code and the sign-up code
    assert answers[0] == answers[1]
    assert answers[0][0] == 201 and answers[0][1]["step"] == "email_code"


def test_web_signup_after_a_password_reset_answers_alike_for_a_registered_and_an_unknown_email(registered):
    pages = []
    for n, email in enumerate((registered.email, UNKNOWN)):
        browser = _browser(f"10.3.1.{n + 1}")
        assert browser.post("/lupa-sandi/", {"email": email})["Location"] == "/lupa-sandi/kode/"
        started = browser.post("/daftar/", {"email": email})
        location = started.get("Location")
        page = browser.get("/daftar/kode-email/")
        pages.append((started.status_code, location, page.status_code, _same_page(page.content.decode(), email)))
    assert pages[0] == pages[1]
    assert pages[0][:3] == (302, "/daftar/kode-email/", 200)


# --- 6.1.1: a stranger spending the sign-up budget of a member's address ----------------------------------------
def test_spent_signup_codes_leave_the_members_login_and_password_reset_working(registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        for n in range(5):
            started = _api(_browser(f"10.3.2.{n + 1}"), "/signup/", {"email": registered.email})
            assert started.status_code == 201
            clock.shift(61)
        spent = _api(_browser("10.3.2.9"), "/signup/", {"email": registered.email})
        assert (spent.status_code, spent.json()["code"]) == (429, "code_hourly_limit")  # the sign-up budget is spent

        member = _browser("10.3.3.1")
        member.post("/masuk/", {"username": registered.email, "password": registered.password})
        page = member.get("/masuk/kode/").content.decode()
        assert "Kami mengirim kode 6 angka ke email b***i@g***l.com." in page
        login_code = OutboundMessage.objects.filter(to=registered.email).latest("id")
        assert login_code.subject == "Kode masuk JaminanKu"
        assert member.post("/masuk/kode/", {"code": code_sent_to(registered.email)})["Location"] == "/"
        member.post("/keluar/")

        assert member.post("/lupa-sandi/", {"email": registered.email})["Location"] == "/lupa-sandi/kode/"
        reset_code = OutboundMessage.objects.filter(to=registered.email).latest("id")
        assert reset_code.subject == "Kode atur ulang kata sandi JaminanKu"  # not silently dropped
        done = member.post("/lupa-sandi/kode/", {"code": code_sent_to(registered.email), "password": GOOD_PASSWORD})
        assert done["Location"] == "/masuk/"


def test_spent_signup_codes_leave_the_api_login_working(client, registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        for n in range(5):
            assert _api(_browser(f"10.3.4.{n + 1}"), "/signup/", {"email": registered.email}).status_code == 201
            clock.shift(61)
        start = _api(client, "/accounts/login", {"email": registered.email, "password": registered.password})
        assert start.status_code == 202
        assert OutboundMessage.objects.filter(to=registered.email).latest("id").subject == "Kode masuk JaminanKu"
        done = _api(
            client,
            "/accounts/login/verify",
            {"challenge": start.json()["challenge"], "code": code_sent_to(registered.email)},
        )
        assert done.status_code == 200
