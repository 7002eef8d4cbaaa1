"""API tokens stop working API_TOKEN_LIFETIME_DAYS after they are issued; the login answer says when."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.login import devices
from jaminanku.accounts.login.tokens import issue_api_token, user_for_api_token
from jaminanku.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _login(client, registered):
    """The API login from an app whose device passed the second step before: one call, a token back."""
    user = registered.worker.person.member_profile.user
    device_token = devices.trust_device(user=user).raw
    payload = {"email": registered.email, "password": registered.password, "device_token": device_token}
    return client.post("/api/v1/accounts/login", json.dumps(payload), content_type="application/json")


def _me(client, token):
    return client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_login_answers_with_the_expiry_from_the_setting(client, registered, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    before = timezone.now()
    body = _login(client, registered).json()
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(days=30) - timedelta(milliseconds=1) <= expires_at <= timezone.now() + timedelta(days=30)
    assert abs(ApiToken.objects.get().expires_at - expires_at) < timedelta(milliseconds=1)  # JSON keeps ms


def test_a_token_past_its_expiry_is_refused_with_401(client, registered):
    token = _login(client, registered).json()["token"]
    assert _me(client, token).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    denied = _me(client, token)
    assert denied.status_code == 401 and denied.json()["code"] == "unauthenticated"


def test_a_token_works_until_the_moment_it_expires(registered):
    user = registered.worker.person.member_profile.user
    token = issue_api_token(user=user)
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(minutes=1))
    assert user_for_api_token(token) == user
    ApiToken.objects.update(expires_at=timezone.now())
    assert user_for_api_token(token) is None


def test_the_signup_token_carries_its_expiry(client, worker):
    from jaminanku.accounts.tests.test_api import _walk_api

    flow = _walk_api(client, worker)
    assert flow["token"].startswith("jk_")
    assert datetime.fromisoformat(flow["token_expires_at"]) > timezone.now() + timedelta(days=89)


def test_a_token_unused_for_the_idle_limit_is_refused_and_use_keeps_it_alive(client, registered, settings):
    settings.API_TOKEN_IDLE_DAYS = 30
    token = _login(client, registered).json()["token"]
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(days=29))
    assert _me(client, token).status_code == 200  # used within the limit: alive, and the use is recorded
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(days=31))
    assert _me(client, token).status_code == 401
