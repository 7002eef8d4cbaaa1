"""ASVS 6.6.1: an authenticator app (TOTP, RFC 6238) as the stronger alternative to SMS. Turned on from /akun/ with
a QR code and the secret as text, confirmed by a first code; then the login's second step asks for the app's code
and sends nothing; turned off with the password and a code."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _app_code(device: TOTPDevice, *, steps_later: int = 0) -> str:
    """What the member's authenticator app shows now (or `steps_later` 30-second steps from now)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_later * device.step
    return f"{totp.token():06d}"


def _half_a_minute_passes(device: TOTPDevice) -> None:
    # a code is accepted once per 30-second step; instead of sleeping, forget which step was used last
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)


def _member(client: Client, registered) -> None:
    client.force_login(registered.worker.person.member_profile.user)


def _turn_on(client: Client, registered) -> TOTPDevice:
    device, _ = _turn_on_with(client, registered)
    return device


def _turn_on_with(client: Client, registered) -> tuple[TOTPDevice, str]:
    """Turns the app on; returns its device and the code that confirmed it."""
    _member(client, registered)
    client.post("/akun/autentikator/", {"mulai": "1"})
    device = TOTPDevice.objects.get(user__username=registered.email)
    first_code = _app_code(device)
    assert client.post("/akun/autentikator/", {"code": first_code})["Location"] == "/akun/"
    return device, first_code


def test_enrolment_shows_the_qr_and_the_secret_and_needs_a_first_code(client, registered):
    _member(client, registered)
    off = client.get("/akun/autentikator/").content.decode()
    assert "Belum aktif" in off and "SIM swap" in off
    assert "/akun/autentikator/" in client.get("/akun/").content.decode()
    client.post("/akun/autentikator/", {"mulai": "1"})
    page = client.get("/akun/autentikator/")
    html = page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user__username=registered.email)
    secret = "".join(html.split('data-testid="totp-secret">')[1].split("<")[0].split())
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key  # the text is the QR's secret
    wrong = client.post("/akun/autentikator/", {"code": "12345"}).content.decode()
    assert "Kode dari aplikasi autentikator salah." in wrong or "errorlist" in wrong
    device.refresh_from_db()
    assert not device.confirmed
    assert client.post("/akun/autentikator/", {"code": _app_code(device)})["Location"] == "/akun/"
    device.refresh_from_db()
    assert device.confirmed
    assert "Aktif." in client.get("/akun/autentikator/").content.decode()


def test_login_with_the_app_asks_for_its_code_and_sends_nothing(registered):
    device, first_code = _turn_on_with(Client(), registered)
    browser = Client()
    assert browser.post("/masuk/", {"username": registered.email, "password": registered.password})["Location"] == (
        "/masuk/kode/"
    )
    page = browser.get("/masuk/kode/").content.decode()
    assert "aplikasi autentikator" in page and "Kirim kode lewat SMS" not in page  # no weaker fallback
    assert not OutboundMessage.objects.filter(subject="Kode masuk JaminanKu").exists()
    assert browser.post("/masuk/kode/", {"kirim": "email"}).status_code == 302
    assert not OutboundMessage.objects.filter(subject="Kode masuk JaminanKu").exists()
    # the very code that turned it on (not the app's code now: a 30-second step may have passed): once only
    reused = browser.post("/masuk/kode/", {"code": first_code})
    assert "Kode dari aplikasi autentikator salah." in reused.content.decode()
    _half_a_minute_passes(device)
    assert browser.post("/masuk/kode/", {"code": _app_code(device)})["Location"] == "/"
    assert browser.get("/akun/").status_code == 200


def test_guessing_the_app_code_is_slowed_per_device_and_ends_the_challenge(registered):
    device = _turn_on(Client(), registered)
    _half_a_minute_passes(device)
    browser = Client()
    browser.post("/masuk/", {"username": registered.email, "password": registered.password})
    browser.post("/masuk/kode/", {"code": "000000" if _app_code(device) != "000000" else "111111"})
    throttled = browser.post("/masuk/kode/", {"code": _app_code(device)})  # right, but straight after a wrong one
    assert "Tunggu sebentar" in throttled.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    for _ in range(3):
        browser.post("/masuk/kode/", {"code": "999999"})
    gone = browser.post("/masuk/kode/", {"code": "999999"})
    assert gone["Location"] == "/masuk/"  # five wrong tries: back to the password


def test_api_login_with_the_app(client, registered):
    import json

    device = _turn_on(Client(), registered)
    _half_a_minute_passes(device)
    start = client.post(
        "/api/v1/accounts/login",
        json.dumps({"email": registered.email, "password": registered.password}),
        content_type="application/json",
    ).json()
    assert start["method"] == "totp" and start["sent_to"] == "" and start["methods"] == []
    done = client.post(
        "/api/v1/accounts/login/verify",
        json.dumps({"challenge": start["challenge"], "code": _app_code(device)}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["token"]


def test_turning_it_off_needs_the_password_and_a_code(client, registered):
    device = _turn_on(client, registered)
    _half_a_minute_passes(device)
    wrong_password = client.post(
        "/akun/autentikator/matikan/", {"current_password": "salah-1", "code": _app_code(device)}
    )
    assert "Kata sandi saat ini salah." in wrong_password.content.decode()
    wrong_code = client.post("/akun/autentikator/matikan/", {"current_password": registered.password, "code": "000000"})
    assert wrong_code.status_code == 200 and TOTPDevice.objects.filter(confirmed=True).exists()
    _half_a_minute_passes(device)
    done = client.post(
        "/akun/autentikator/matikan/", {"current_password": registered.password, "code": _app_code(device)}
    )
    assert done["Location"] == "/akun/" and not TOTPDevice.objects.exists()
    browser = Client()
    browser.post("/masuk/", {"username": registered.email, "password": registered.password})
    assert OutboundMessage.objects.filter(to=registered.email, subject="Kode masuk JaminanKu").exists()  # email again
