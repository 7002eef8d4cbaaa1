"""The login's code page tells the truth when no code could go out: a code went to the same address less than a
minute ago (another browser, the app) or five went there within the hour. It says that nothing new was sent,
whether an earlier code still works, from when a new one can be asked for (Asia/Jakarta, HH:MM today, else
dd/mm/yyyy HH:MM), and offers the other way (SMS) on the same page; the API says the same in fields.

The clock is moved with time-machine, as the pages and the API read the time themselves."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)
NOT_SENT_WORDS = "Kami mengirim kode"


def _browser(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _password_step(browser: Client, registered) -> None:
    first = browser.post("/masuk/", {"username": registered.email, "password": registered.password})
    assert (first.status_code, first["Location"]) == (302, "/masuk/kode/"), first


def _code_page(browser: Client) -> str:
    return browser.get("/masuk/kode/").content.decode()


def _api(client: Client, path: str, data: dict):
    return client.post(f"/api/v1{path}", json.dumps(data), content_type="application/json")


def _login_fully(browser: Client, registered) -> None:
    """One whole login with the code from the inbox, then logging out: a code sent and used."""
    _password_step(browser, registered)
    done = browser.post("/masuk/kode/", {"code": code_sent_to(registered.email)})
    assert done["Location"] == "/", done
    browser.post("/keluar/")


def _emails_to(address: str) -> int:
    return OutboundMessage.objects.filter(to=address).count()


def test_a_login_seconds_after_another_says_no_new_code_went_out_and_that_the_earlier_one_works(registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        first, second = _browser("10.1.0.1"), _browser("10.1.0.2")
        _password_step(first, registered)
        assert NOT_SENT_WORDS in _code_page(first)
        clock.shift(20)
        _password_step(second, registered)
        page = _code_page(second)
        assert _emails_to(registered.email) == 1  # nothing new went out
        assert NOT_SENT_WORDS not in page
        assert (
            "Kode baru tidak dikirim: kode 6 angka sudah dikirim ke email b***i@g***l.com pada 10:00 (misalnya saat "
            "masuk dari perangkat lain) dan masih berlaku sampai 10:10. Pakai kode itu." in page
        )
        assert "bisa diminta mulai 10:01" in page
        done = second.post("/masuk/kode/", {"code": code_sent_to(registered.email)})
        assert done["Location"] == "/"


def test_a_login_right_after_the_code_was_used_elsewhere_says_none_was_sent_and_offers_sms(registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        first, second = _browser("10.1.1.1"), _browser("10.1.1.2")
        _password_step(first, registered)
        first.post("/masuk/kode/", {"code": code_sent_to(registered.email)})  # the newest code is now used
        clock.shift(25)
        _password_step(second, registered)
        page = _code_page(second)
        assert NOT_SENT_WORDS not in page and _emails_to(registered.email) == 1
        assert "Kode baru belum dikirim ke email b***i@g***l.com: kode terakhir dikirim ke sana kurang dari" in page
        assert "Kode baru ke email b***i@g***l.com bisa diminta mulai 10:01." in page
        assert "Anda bisa memakai cara lain sekarang: Kode lewat SMS." in page
        assert 'name="kirim" value="sms"' in page  # the switch is on this page
        too_soon = second.post("/masuk/kode/", {"kirim": "email"}, follow=True).content.decode()
        assert "Tunggu 35 detik sebelum meminta kode baru." in too_soon and "Kode baru dikirim" not in too_soon
        assert _emails_to(registered.email) == 1
        by_sms = second.post("/masuk/kode/", {"kirim": "sms"}, follow=True).content.decode()
        assert "Kode baru dikirim ke +62812****7890." in by_sms
        assert "Kami mengirim kode 6 angka lewat SMS ke +62812****7890." in by_sms
        done = second.post("/masuk/kode/", {"code": code_sent_to(registered.phone)})
        assert done["Location"] == "/"


@pytest.mark.parametrize(
    ("start", "until"),
    [
        (MORNING, "11:00"),  # the same day: the time alone
        (datetime(2026, 12, 7, 23, 30, tzinfo=WIB), "08/12/2026 00:30"),  # past midnight in Jakarta: with the date
    ],
)
def test_the_hourly_limit_at_the_password_step_leads_on_to_sms_and_says_until_when(registered, start, until):
    with time_machine.travel(start, tick=False) as clock:
        browser = _browser("10.1.2.1")
        for _ in range(5):
            _login_fully(browser, registered)
            clock.shift(61)
        _password_step(browser, registered)  # before, the login form itself answered code_hourly_limit
        page = _code_page(browser)
        assert _emails_to(registered.email) == 5 and NOT_SENT_WORDS not in page
        assert (
            "Kode baru belum dikirim ke email b***i@g***l.com: sudah 5 kode dikirim ke sana dalam satu jam terakhir."
            in page
        )
        assert f"Kode baru ke email b***i@g***l.com bisa diminta mulai {until}." in page
        assert "Anda bisa memakai cara lain sekarang: Kode lewat SMS." in page
        browser.post("/masuk/kode/", {"kirim": "sms"})
        assert browser.post("/masuk/kode/", {"code": code_sent_to(registered.phone)})["Location"] == "/"


def test_the_api_says_code_sent_false_with_the_reason_and_when_to_ask_again(client, registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        first = _api(client, "/accounts/login", {"email": registered.email, "password": registered.password})
        body = first.json()
        assert first.status_code == 202
        assert (body["code_sent"], body["not_sent_reason"], body["retry_after"]) == (True, None, 60)
        assert body["message"] == (
            "Anda masuk dari perangkat yang belum dikenal. Kami mengirim kode 6 angka ke email b***i@g***l.com."
        )
        used = _api(
            client, "/accounts/login/verify", {"challenge": body["challenge"], "code": code_sent_to(registered.email)}
        )
        assert used.status_code == 200
        clock.shift(20)
        second = _api(client, "/accounts/login", {"email": registered.email, "password": registered.password})
        again = second.json()
        assert second.status_code == 202
        assert again["code_sent"] is False and again["not_sent_reason"] == "code_resend_too_soon"
        assert again["retry_after"] == 40 and again["next_code_at"].startswith("2026-12-07T03:01:00")
        assert again["code_sent_at"] is None and again["code_valid_until"] is None
        assert again["other_ways"] == ["sms"] and "Kode baru belum dikirim" in again["message"]
        refused = _api(client, "/accounts/login/send", {"challenge": again["challenge"], "method": "email"})
        assert refused.status_code == 429
        assert (refused.json()["code"], refused.json()["retry_after"]) == ("code_resend_too_soon", 40)
        switched = _api(client, "/accounts/login/send", {"challenge": again["challenge"], "method": "sms"})
        assert switched.status_code == 202
        assert (switched.json()["code_sent"], switched.json()["method"]) == (True, "sms")
        done = _api(
            client, "/accounts/login/verify", {"challenge": again["challenge"], "code": code_sent_to(registered.phone)}
        )
        assert done.status_code == 200


def test_the_api_answers_the_hourly_limit_with_a_challenge_not_a_dead_end(client, registered):
    with time_machine.travel(MORNING, tick=False) as clock:
        for _ in range(5):
            start = _api(client, "/accounts/login", {"email": registered.email, "password": registered.password})
            code = code_sent_to(registered.email)
            _api(client, "/accounts/login/verify", {"challenge": start.json()["challenge"], "code": code})
            clock.shift(61)
        limited = _api(client, "/accounts/login", {"email": registered.email, "password": registered.password})
        body = limited.json()
        assert limited.status_code == 202 and body["code_sent"] is False
        assert body["not_sent_reason"] == "code_hourly_limit"
        assert body["retry_after"] == 3600 - 5 * 61 and body["next_code_at"].startswith("2026-12-07T04:00:00")
        assert "bisa diminta mulai 11:00" in body["message"] and body["other_ways"] == ["sms"]
        in_english = client.post(
            "/api/v1/accounts/login",
            json.dumps({"email": registered.email, "password": registered.password}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        ).json()["message"]
        assert in_english == (
            "No new code has been sent to email b***i@g***l.com: 5 codes were already sent there within the last "
            "hour. A new code to email b***i@g***l.com can be requested from 11:00. You can use another way now: "
            "Code by SMS."
        )


def test_the_openapi_schema_documents_whether_a_code_was_sent(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    challenge = schema["components"]["schemas"]["ChallengeOut"]["properties"]
    for field in ("code_sent", "not_sent_reason", "retry_after", "next_code_at", "code_valid_until", "other_ways"):
        assert challenge[field].get("description"), field
    assert "code_hourly_limit" in challenge["not_sent_reason"]["description"]
    assert "code_sent" in schema["components"]["schemas"]["ChallengeOut"]["required"]
