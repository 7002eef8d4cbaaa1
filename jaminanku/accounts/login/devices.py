"""Trusted devices: a browser or app that passed the login's second step skips it for
ACCOUNTS_TRUSTED_DEVICE_DAYS. The device holds a random 256-bit token (the web in a signed, HttpOnly,
SameSite=Lax cookie, Secure and `__Host-` in production; an API client keeps the token it was given); the server
keeps only its SHA-256, so the member can end a device from "Perangkat & sesi" and its next login needs a code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from jaminanku.accounts.login.tokens import token_hash
from jaminanku.accounts.models import TrustedDevice

PREFIX = "jkd_"
_COOKIE_SALT = "accounts.trusted-device"
_TOUCH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedDevice:
    raw: str
    expires_at: datetime


def trusted_for() -> timedelta:
    return timedelta(days=settings.ACCOUNTS_TRUSTED_DEVICE_DAYS)


def trust_device(*, user: User, device: str = "", place: str = "", now: datetime | None = None) -> IssuedDevice:
    """A new trusted device for `user`; the raw token is returned once, for the cookie or the API client."""
    now = now or timezone.now()
    raw = PREFIX + secrets.token_urlsafe(32)
    row = TrustedDevice.objects.create(
        user=user,
        token_hash=token_hash(raw),
        device=device[:100],
        place=place[:50],
        created_at=now,
        last_used_at=now,
        expires_at=now + trusted_for(),
    )
    return IssuedDevice(raw, row.expires_at)


def is_trusted(*, user: User, raw: str | None, now: datetime | None = None) -> bool:
    """Whether `raw` is a live trusted-device token of `user` (another member's token on a shared phone is not)."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return False
    now = now or timezone.now()
    row = TrustedDevice.objects.filter(token_hash=token_hash(raw), user=user, expires_at__gt=now).first()
    if row is None:
        return False
    if row.last_used_at < now - _TOUCH_EVERY:
        TrustedDevice.objects.filter(pk=row.pk).update(last_used_at=now)
    return True


def forget_devices(user: User) -> int:
    """Every device of `user` needs the second step again (after a password change, reset or recovery)."""
    return TrustedDevice.objects.filter(user=user).delete()[0]


def device_id_for(*, user: User, raw: str | None) -> int | None:
    """The row of this device's token, to mark "this device" on the sessions page."""
    if not raw:
        return None
    return TrustedDevice.objects.filter(token_hash=token_hash(raw), user=user).values_list("pk", flat=True).first()


# --- the web's cookie ----------------------------------------------------------------------------------------
def cookie_name() -> str:
    # "__Host-" only where the cookie is Secure (production), as the session cookie does
    return "__Host-device" if settings.SESSION_COOKIE_SECURE else "jk_device"


def token_from_cookie(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(cookie_name(), default=None, salt=_COOKIE_SALT, max_age=trusted_for())


def set_cookie(response: HttpResponse, issued: IssuedDevice) -> None:
    response.set_signed_cookie(
        cookie_name(),
        issued.raw,
        salt=_COOKIE_SALT,
        max_age=int(trusted_for().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def signed_cookie_value(raw: str) -> str:
    """What the cookie holds for `raw` (tests present a device made by `trust_device` this way)."""
    from django.core import signing

    return signing.get_cookie_signer(salt=cookie_name() + _COOKIE_SALT).sign(raw)
