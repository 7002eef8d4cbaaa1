"""ASVS 6.2.12: a new password (sign-up, reset, recovery, change) is checked against a breached-password set over
the Pwned Passwords range API, which only ever sees the first five hex digits of the password's SHA-1. The
service here is a real HTTP server (breached_service.py), as the public service or the agency's mirror would be."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.utils import translation

from jaminanku.accounts import services
from jaminanku.accounts.tests.breached_service import BREACHED
from jaminanku.core.errors import DomainError

BREACHED_PASSWORD = next(iter(BREACHED))
ID_MESSAGE = "Kata sandi ini pernah bocor dalam kebocoran data di internet"


def _check(password: str) -> None:
    services.check_new_password(password, email="siti@example.com", full_name="Siti Rahayu")


def test_a_breached_password_is_refused_and_only_a_hash_prefix_leaves_the_server(db, breached_password_service):
    breached_password_service.requested.clear()
    with pytest.raises(DomainError) as refused:
        _check(BREACHED_PASSWORD)
    assert refused.value.code == "password_weak" and ID_MESSAGE in str(refused.value.message)
    digest = hashlib.sha1(BREACHED_PASSWORD.encode(), usedforsecurity=False).hexdigest().upper()
    assert breached_password_service.requested == [f"/range/{digest[:5]}"]
    _check("Teh-Manis-Hangat-Sore")  # not in the set: accepted


def test_the_refusal_is_translated(db):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _check(BREACHED_PASSWORD)
    assert "appeared in a data breach" in str(refused.value.message)


def test_changing_to_a_breached_password_on_the_account_page_is_refused_and_the_old_one_still_works(registered):
    client = Client()
    client.force_login(registered.worker.person.member_profile.user)
    page = client.post(
        "/akun/kata-sandi/", {"current_password": registered.password, "password": BREACHED_PASSWORD}
    ).content.decode()
    assert ID_MESSAGE in page
    user = registered.worker.person.member_profile.user
    user.refresh_from_db()
    assert user.check_password(registered.password) and not user.check_password(BREACHED_PASSWORD)


def test_the_last_sign_up_step_refuses_a_breached_password_and_keeps_the_flow(client, worker):
    from jaminanku.accounts.tests.test_web_signup import _walk_web

    _walk_web(client, worker, until="/daftar/kata-sandi/")
    response = client.post("/daftar/kata-sandi/", {"password": BREACHED_PASSWORD})
    assert response.status_code == 200 and ID_MESSAGE in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    response = client.post("/daftar/kata-sandi/", {"password": "Teh-Manis-Hangat-Sore"})
    assert response.status_code == 302 and response["Location"] == "/"  # every earlier answer was kept


def test_an_outage_of_the_service_falls_back_to_the_common_list_and_blocks_no_one(db, breached_password_service):
    breached_password_service.available = False
    with pytest.raises(DomainError) as refused:
        _check("password123")  # Django's common list still applies
    assert refused.value.code == "password_weak"
    _check(BREACHED_PASSWORD)  # unknown while the service is down: not refused, and no error


def test_an_empty_service_address_turns_the_outbound_check_off(db, settings, breached_password_service):
    settings.PWNED_PASSWORDS_URL = ""
    breached_password_service.requested.clear()
    _check(BREACHED_PASSWORD)  # not refused: nothing was asked
    assert breached_password_service.requested == []


def test_the_fallback_list_is_read_once_not_at_every_check(db, monkeypatch, breached_password_service):
    # making the library's validator reads Django's 20,000 common passwords from disk (its fallback): ~50 ms a check
    from django.contrib.auth.password_validation import CommonPasswordValidator

    made = []
    read_the_list = CommonPasswordValidator.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        read_the_list(self, *args, **kwargs)

    monkeypatch.setattr(CommonPasswordValidator, "__init__", counting)
    breached_password_service.available = False  # the fallback in use, too
    for _ in range(3):
        _check("Teh-Manis-Hangat-Sore")
        with pytest.raises(DomainError):
            _check("password123")
    assert len(made) <= 1
