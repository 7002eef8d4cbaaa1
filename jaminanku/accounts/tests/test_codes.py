"""One-time codes exactly as RULES.md says: 6 digits, hashed, 10 minutes, 5 wrong tries, 60 s between codes, 5 per
destination per hour — counted in the database, so every app process sees the same limits."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jaminanku.accounts import codes
from jaminanku.accounts.models import OneTimeCode
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
EMAIL = "siti.rahayu@example.com"


def _issue(destination: str, now, scope: str = "s1") -> None:
    with transaction.atomic():
        codes.issue_code(
            purpose=codes.Purpose.SIGNUP_EMAIL,
            scope=scope,
            channel="email",
            destination=destination,
            message=lambda c: ("Kode", f"Kode Anda {c}"),
            now=now,
        )


def test_code_is_six_digits_sent_in_the_same_transaction_and_stored_only_as_a_salted_hash():
    flow = signup.start_signup(email=EMAIL, client_ip=None)
    code = code_sent_to(EMAIL)
    stored = OneTimeCode.objects.get(scope=flow.pk)
    assert len(code) == 6 and code.isdigit()
    assert code not in stored.code_hash and len(stored.code_hash) > 64
    assert stored.expires_at - stored.created_at == timedelta(minutes=10)
    assert OutboundMessage.objects.filter(to=EMAIL).count() == 1


def test_nothing_is_queued_when_the_transaction_that_made_the_code_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(EMAIL, timezone.now())
        raise RuntimeError
    assert not OneTimeCode.objects.exists() and not OutboundMessage.objects.exists()


def test_codes_differ_and_come_from_secrets(monkeypatch):
    calls = []
    real = codes.secrets.randbelow
    monkeypatch.setattr(codes.secrets, "randbelow", lambda n: calls.append(n) or real(n))
    now = timezone.now()
    for i in range(3):
        _issue(f"orang{i}@example.com", now)
    assert calls == [10**6] * 3


def test_wrong_expired_and_reused_codes_are_refused_with_their_own_code():
    now = timezone.now()
    _issue(EMAIL, now)
    code = code_sent_to(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    check = codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=wrong, now=now)
    assert check.error().code == "code_invalid" and check.tries_left == 4
    expired = codes.check_code(
        purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=code, now=now + timedelta(minutes=10, seconds=1)
    )
    assert expired.error().code == "code_expired"
    assert codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=code, now=now).ok
    reused = codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=code, now=now)
    assert reused.error().code == "code_used"


def test_fifth_wrong_try_kills_the_code_so_the_sixth_try_fails_even_when_right():
    now = timezone.now()
    _issue(EMAIL, now)
    code = code_sent_to(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    results = [
        codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=wrong, now=now).error().code
        for _ in range(5)
    ]
    assert results == ["code_invalid"] * 4 + ["code_dead"]
    sixth = codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=code, now=now)
    assert not sixth.ok and sixth.error().code == "code_dead"


def test_a_new_code_needs_sixty_seconds_and_replaces_the_old_one():
    now = timezone.now()
    _issue(EMAIL, now)
    first = code_sent_to(EMAIL)
    with pytest.raises(RateLimited) as too_soon:
        _issue(EMAIL, now + timedelta(seconds=59))
    assert too_soon.value.code == "code_resend_too_soon" and too_soon.value.extra["retry_after"] == 1
    _issue(EMAIL, now + timedelta(seconds=60))
    second = code_sent_to(EMAIL)
    later = now + timedelta(seconds=61)
    if first != second:
        assert not codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=first, now=later).ok
    assert codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope="s1", code=second, now=later).ok


def test_sixth_code_to_one_destination_within_an_hour_is_refused_whatever_the_flow():
    start = timezone.now()
    for i in range(5):
        _issue(EMAIL, start + timedelta(minutes=i * 2), scope=f"flow{i}")
    with pytest.raises(RateLimited) as limited:
        _issue(EMAIL, start + timedelta(minutes=30), scope="another-flow")
    assert limited.value.code == "code_hourly_limit"
    assert limited.value.extra["retry_after"] == 30 * 60  # when the first of the five is an hour old
    _issue(EMAIL, start + timedelta(hours=1, seconds=1), scope="another-flow")
    # another destination was never limited
    _issue("lain@example.com", start + timedelta(minutes=30))


def test_limits_are_counted_in_the_database_not_in_the_process(settings):
    """A second app process shares nothing in memory with the first: clearing every cache changes no limit."""
    from django.core.cache import caches

    now = timezone.now()
    _issue(EMAIL, now)
    for cache in caches.all():
        cache.clear()
    with pytest.raises(RateLimited):
        _issue(EMAIL, now + timedelta(seconds=10))


def test_code_errors_are_domain_errors_on_the_code_field():
    error = codes.CodeCheck(codes.Outcome.MISSING).error()
    assert isinstance(error, DomainError) and error.field == "code" and error.code == "code_missing"


def test_each_purpose_has_its_own_resend_wait_and_hourly_budget():
    """A code of one purpose (a sign-up anyone can start) neither delays nor uses up codes of another (the
    owner's login), at the same address."""
    start = timezone.now()
    for i in range(5):
        _issue(EMAIL, start + timedelta(minutes=i * 2), scope=f"flow{i}")
    with pytest.raises(RateLimited):
        _issue(EMAIL, start + timedelta(minutes=9), scope="flow5")
    with transaction.atomic():
        codes.issue_code(
            purpose=codes.Purpose.LOGIN,
            scope="login:1",
            channel="email",
            destination=EMAIL,
            message=lambda c: ("Kode", f"Kode Anda {c}"),
            now=start + timedelta(minutes=9),
        )
    assert (
        codes.hold_on(purpose=codes.Purpose.PASSWORD_RESET, destination=EMAIL, now=start + timedelta(minutes=9)) is None
    )
