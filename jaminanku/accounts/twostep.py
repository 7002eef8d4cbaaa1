"""The login's second step (ASVS 6.3.3), shared by the web login, the API login and the back office: after a
correct password, a device not trusted yet must show a 6-digit code, sent to the account's verified email (or,
if the member chooses, by SMS to the verified mobile number), or from the member's authenticator app when they
turned one on. The codes are the accounts app's one-time codes (`codes`: hashed, 10 minutes, 5 tries, resend
and hourly limits per destination); this module only keeps the challenge between the two steps.

The password step answers exactly as before for an unknown email or a wrong password; a challenge exists only
after a correct one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import codes, devices, notices, totp
from jaminanku.accounts.models import LoginChallenge, MemberProfile
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.core.masking import mask_email, mask_phone

Method = LoginChallenge.Method
LIVES = codes.VALID_FOR  # a challenge lasts as long as a code
MAX_WRONG_TRIES = codes.MAX_WRONG_TRIES  # per challenge, for authenticator codes (email/SMS codes count their own)


@dataclass(frozen=True)
class LoginStart:
    """Either `user` (the device is trusted: log in now) or `challenge` (ask for the second step). `wait` says
    why no code went out yet (one went to the same place less than a minute ago, e.g. a password-reset code):
    the member asks for it again from the code page."""

    user: User | None = None
    challenge: LoginChallenge | None = None
    wait: RateLimited | None = None


def _scope(user: User) -> str:
    # per account, not per challenge: a second login within the resend minute finds the code already sent
    return f"login:{user.pk}"


def _phone(user: User) -> str | None:
    return MemberProfile.objects.filter(user=user).values_list("phone", flat=True).first()


def methods_for(user: User) -> list[str]:
    """What the code page may offer: the authenticator alone when it is on (no weaker fallback), else email,
    plus SMS for members (whose number was verified at sign-up)."""
    if totp.has_totp(user):
        return [Method.TOTP]
    return [Method.EMAIL, Method.SMS] if _phone(user) else [Method.EMAIL]


def destination_masked(challenge: LoginChallenge) -> str:
    if challenge.method == Method.SMS:
        return mask_phone(_phone(challenge.user) or "")
    if challenge.method == Method.EMAIL:
        return mask_email(challenge.user.email)
    return ""


def _send(challenge: LoginChallenge, *, now: datetime) -> None:
    user, method = challenge.user, challenge.method
    destination = _phone(user) if method == Method.SMS else user.email
    if not destination:
        raise DomainError(
            _("Akun ini belum punya email untuk kode masuk. Hubungi administrator."), code="login_no_destination"
        )
    message = notices.login_sms_code if method == Method.SMS else notices.login_email_code
    try:
        with transaction.atomic():  # a savepoint: a refused code leaves the challenge in place
            codes.issue_code(
                purpose=codes.Purpose.LOGIN,
                scope=_scope(user),
                channel="sms" if method == Method.SMS else "email",
                destination=destination,
                message=message,
                now=now,
            )
    except RateLimited as exc:
        # asked again within the minute: the code sent a moment ago to the same place still works
        latest = codes.OneTimeCode.objects.filter(purpose=codes.Purpose.LOGIN, scope=_scope(user)).order_by(
            "-created_at", "-pk"
        )
        last = latest.first()
        still_good = (
            exc.code == "code_resend_too_soon"
            and last is not None
            and last.destination == destination
            and last.used_at is None
            and last.expires_at > now
            and last.failed_attempts < codes.MAX_WRONG_TRIES
        )
        if not still_good:
            raise


def begin_login(*, user: User, device_token: str | None = None, now: datetime | None = None) -> LoginStart:
    """Called after a correct password. A trusted device logs in at once; otherwise a challenge is made and,
    unless the member uses an authenticator app, a code goes to their email."""
    now = now or timezone.now()
    if devices.is_trusted(user=user, raw=device_token, now=now):
        return LoginStart(user=user)
    method = methods_for(user)[0]
    wait = None
    with transaction.atomic():
        challenge = LoginChallenge.objects.create(
            id=secrets.token_urlsafe(32), user=user, method=method, created_at=now, expires_at=now + LIVES
        )
        if method != Method.TOTP:
            try:
                _send(challenge, now=now)
            except RateLimited as exc:
                if exc.code != "code_resend_too_soon":
                    raise
                wait = exc
    return LoginStart(challenge=challenge, wait=wait)


def _expired() -> DomainError:
    return DomainError(
        _("Langkah masuk ini sudah tidak berlaku. Silakan masuk lagi dengan email dan kata sandi."),
        code="login_challenge_expired",
    )


def _open(challenge_id: str, now: datetime, *, lock: bool = False) -> LoginChallenge:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,43}", challenge_id or ""):  # what token_urlsafe makes, nothing else
        raise _expired()
    rows = LoginChallenge.objects.select_related("user")
    if lock:
        rows = rows.select_for_update()
    challenge = rows.filter(id=challenge_id, done_at__isnull=True, expires_at__gt=now).first()
    if challenge is None or not challenge.user.is_active or challenge.wrong_tries >= MAX_WRONG_TRIES:
        raise _expired()
    return challenge


def challenge_for(challenge_id: str, *, now: datetime | None = None) -> LoginChallenge:
    return _open(challenge_id, now or timezone.now())


@transaction.atomic
def send_code(*, challenge_id: str, method: str, now: datetime | None = None) -> LoginChallenge:
    """The member chooses email or SMS on the code page (or asks for a new code)."""
    now = now or timezone.now()
    challenge = _open(challenge_id, now, lock=True)
    if method not in methods_for(challenge.user) or method == Method.TOTP:
        raise DomainError(_("Cara ini tidak tersedia untuk akun Anda."), code="login_method_unavailable")
    challenge.method = method
    challenge.save(update_fields=["method"])
    _send(challenge, now=now)
    return challenge


def finish_login(*, challenge_id: str, code: str, now: datetime | None = None) -> User:
    """Checks the second step; returns the member to log in. Wrong codes are counted (in the code row, or in
    the challenge and the authenticator device), so the error is raised after the transaction commits."""
    now = now or timezone.now()
    failure: DomainError | None = None
    with transaction.atomic():
        challenge = _open(challenge_id, now, lock=True)
        user = challenge.user
        if challenge.method == Method.TOTP:
            try:
                totp.verify_login_code(user=user, code=code)
            except DomainError as exc:
                challenge.wrong_tries += 1
                challenge.save(update_fields=["wrong_tries"])
                failure = exc
        else:
            check = codes.check_code(purpose=codes.Purpose.LOGIN, scope=_scope(user), code=code, now=now)
            if not check.ok:
                failure = check.error()
        if failure is None:
            challenge.done_at = now
            challenge.save(update_fields=["done_at"])
    if failure is not None:
        raise failure
    return user


def purge_challenges(*, now: datetime | None = None) -> int:
    """Challenges a day past their end are of no further use."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    return LoginChallenge.objects.filter(expires_at__lt=cutoff).delete()[0]
