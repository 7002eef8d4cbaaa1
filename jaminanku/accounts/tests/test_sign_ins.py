"""ASVS 7.5.2: a member sees their web sessions, API tokens and trusted devices on "Perangkat & sesi" (/akun/perangkat/)
and in the API (/api/v1/accounts/sessions), and ends any of them; an ended session's cookie is worthless at once.
Another member's sessions cannot be seen or ended (IDOR)."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from jaminanku.accounts.models import ApiToken, TrustedDevice, WebSession
from jaminanku.accounts.tests.helpers import api_login, login_trusted

pytestmark = pytest.mark.django_db
PHONE_CHROME = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
LAPTOP_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0"


def _browser(agent: str, address: str) -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def _logged_in(client: Client) -> bool:
    return client.get("/akun/").status_code == 200


def _two_sessions(registered) -> tuple[Client, Client]:
    phone, laptop = _browser(PHONE_CHROME, "203.0.113.7"), _browser(LAPTOP_FIREFOX, "198.51.100.23")
    for browser in (phone, laptop):
        assert login_trusted(browser, registered.email, registered.password)["Location"] == "/"
    return phone, laptop


def test_the_page_lists_both_sessions_with_device_masked_address_and_this_device(registered):
    phone, _laptop = _two_sessions(registered)
    page = phone.get("/akun/perangkat/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    sessions = html.split('data-testid="web-sessions"')[1].split("</ul>")[0]
    assert sessions.count("<li>") == 2
    assert "Chrome · Android" in sessions and "Firefox · Windows" in sessions
    assert "203.0.113.x" in sessions and "198.51.100.x" in sessions and "203.0.113.7" not in html
    this = [item for item in sessions.split("<li>") if "(perangkat ini)" in item]
    assert len(this) == 1 and "Chrome · Android" in this[0]
    assert "/akun/perangkat/" in phone.get("/akun/").content.decode()


def test_ending_one_session_logs_that_browser_out_at_once_and_the_other_stays(registered):
    phone, laptop = _two_sessions(registered)
    laptop_row = WebSession.objects.get(device="Firefox · Windows")
    laptop_key = laptop_row.session_key
    ended = phone.post("/akun/perangkat/akhiri/", {"kind": "web", "id": laptop_row.pk})
    assert ended["Location"] == "/akun/perangkat/"
    assert not Session.objects.filter(session_key=laptop_key).exists()
    assert not laptop.get("/").wsgi_request.user.is_authenticated  # its very next request is anonymous
    assert _logged_in(phone)
    html = phone.get("/akun/perangkat/").content.decode()
    assert "Firefox · Windows" not in html.split('data-testid="web-sessions"')[1].split("</ul>")[0]


def test_end_all_others_keeps_only_this_session_and_this_device(registered):
    phone, laptop = _two_sessions(registered)
    token = api_login(Client(), registered.email, registered.password)["token"]
    phone.post("/akun/perangkat/akhiri-lainnya/")
    assert _logged_in(phone) and not _logged_in(laptop)
    assert Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert WebSession.objects.count() == 1 and not ApiToken.objects.exists()
    assert TrustedDevice.objects.count() == 1  # the phone's own; the laptop and the app need a code again


def test_forgetting_a_trusted_device_makes_its_next_login_need_a_code(registered):
    phone, laptop = _two_sessions(registered)
    laptop_device = TrustedDevice.objects.order_by("-pk").first()
    phone.post("/akun/perangkat/akhiri/", {"kind": "device", "id": laptop_device.pk})
    laptop.post("/keluar/")
    again = laptop.post("/masuk/", {"username": registered.email, "password": registered.password})
    assert again["Location"] == "/masuk/kode/"


def test_a_password_change_is_followed_by_the_list(registered):
    phone, laptop = _two_sessions(registered)
    from jaminanku.accounts.tests.helpers import GOOD_PASSWORD

    phone.post("/akun/kata-sandi/", {"current_password": registered.password, "password": GOOD_PASSWORD})
    rows = list(WebSession.objects.all())
    assert _logged_in(phone) and not _logged_in(laptop)
    html = phone.get("/akun/perangkat/").content.decode()
    sessions = html.split('data-testid="web-sessions"')[1].split("</ul>")[0]
    assert sessions.count("<li>") == 1 and "(perangkat ini)" in sessions  # new session key, same row
    assert len(rows) >= 1


def test_a_member_cannot_end_or_see_another_members_session(registered, worker):
    from jaminanku.accounts.services import create_account_for_demo

    create_account_for_demo(
        person=worker.person, email="siti@example.com", phone="+6281298765432", password="Kopi-Tubruk-2024!"
    )
    budi = _browser(PHONE_CHROME, "203.0.113.7")
    login_trusted(budi, registered.email, registered.password)
    siti = _browser(LAPTOP_FIREFOX, "198.51.100.23")
    login_trusted(siti, "siti@example.com", "Kopi-Tubruk-2024!")
    sitis = WebSession.objects.get(user__username="siti@example.com")
    refused = budi.post("/akun/perangkat/akhiri/", {"kind": "web", "id": sitis.pk})
    assert refused["Location"] == "/akun/perangkat/" and _logged_in(siti)
    assert "Firefox" not in budi.get("/akun/perangkat/").content.decode()
    budi_token = api_login(Client(), registered.email, registered.password)["token"]
    api = Client().delete(f"/api/v1/accounts/sessions/web/{sitis.pk}", HTTP_AUTHORIZATION=f"Bearer {budi_token}")
    assert api.status_code == 404 and _logged_in(siti)
    for kind in ("api", "device"):
        other = (ApiToken if kind == "api" else TrustedDevice).objects.filter(user__username="siti@example.com")
        pk = other.values_list("pk", flat=True).first() or 999999
        response = Client().delete(f"/api/v1/accounts/sessions/{kind}/{pk}", HTTP_AUTHORIZATION=f"Bearer {budi_token}")
        assert response.status_code == 404, kind
    for body in ({"kind": "web", "id": "x"}, {"kind": "nope", "id": "1"}, {}):
        assert budi.post("/akun/perangkat/akhiri/", body).status_code == 302, body


def test_api_lists_and_ends_sessions(registered):
    phone, _laptop = _two_sessions(registered)
    app = Client(HTTP_USER_AGENT="JaminanKu-Android/2.1 (okhttp)")
    token = api_login(app, registered.email, registered.password)["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = Client().get("/api/v1/accounts/sessions", **auth)
    assert listed.status_code == 200
    rows = listed.json()
    assert sorted(r["kind"] for r in rows).count("web") == 2
    mine = [r for r in rows if r["current"]]
    assert len(mine) == 1 and mine[0]["kind"] == "api" and mine[0]["device"] == "JaminanKu-Android/2.1"
    web = next(r for r in rows if r["kind"] == "web" and r["device"] == "Chrome · Android")
    assert web["place"] == "203.0.113.x"
    assert Client().delete(f"/api/v1/accounts/sessions/web/{web['id']}", **auth).json()["ok"] is True
    assert not _logged_in(phone)
    ended = Client().post(
        "/api/v1/accounts/sessions/end-others", json.dumps({}), content_type="application/json", **auth
    )
    assert ended.status_code == 200 and ended.json()["ended"] >= 1
    assert [r["kind"] for r in Client().get("/api/v1/accounts/sessions", **auth).json() if r["kind"] != "device"] == [
        "api"
    ]
    assert Client().get("/api/v1/accounts/sessions").status_code == 401
