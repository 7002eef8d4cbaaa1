"""Authenticator apps (TOTP, RFC 6238) as the login's second step, the stronger alternative to SMS (ASVS 6.6.1).
django-otp's `TOTPDevice` does the arithmetic, refuses a code already used (its `last_t`) and slows guessing
down per device (exponential back-off after each wrong code, kept in the row, so it holds across challenges
and processes). A member has at most one confirmed device; turning it on needs a first code from the app,
turning it off the current password and a code."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaminanku.accounts.services import check_current_password
from jaminanku.audit.services import record_event
from jaminanku.core.errors import DomainError, RateLimited

DEVICE_NAME = "authenticator"


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def start_enrolment(*, user: User) -> TOTPDevice:
    """A new secret, not yet in force: a former unconfirmed one is replaced so only one secret is ever shown."""
    if has_totp(user):
        raise DomainError(_("Aplikasi autentikator sudah aktif."), code="totp_already_on")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG data URI (allowed by the page's CSP `img-src data:`)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def _verify(device: TOTPDevice, code: str) -> None:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise RateLimited(
            _("Terlalu banyak kode yang salah. Tunggu sebentar, lalu coba lagi."), code="totp_throttled", field="code"
        )
    candidate = (code or "").strip()
    if not (len(candidate) == 6 and candidate.isdigit() and device.verify_token(candidate)):
        raise DomainError(_("Kode dari aplikasi autentikator salah."), code="totp_invalid", field="code")


def confirm_enrolment(*, user: User, code: str) -> TOTPDevice:
    """Turns the pending secret on once the app shows a right code (so the member has it saved)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise DomainError(_("Mulai lagi pengaturan aplikasi autentikator."), code="totp_not_started")
        failure: DomainError | None = None
        try:
            _verify(device, code)
        except DomainError as exc:
            failure = exc  # the wrong try is counted in the row: let it commit
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record_event("accounts.totp_on", instance=user, after={"totp": True})
    if failure is not None:
        raise failure
    return device


def verify_login_code(*, user: User, code: str) -> None:
    """The login's second step for a member with an authenticator app; raises when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise DomainError(_("Aplikasi autentikator tidak aktif."), code="totp_off", field="code")
        failure: DomainError | None = None
        try:
            _verify(device, code)
        except DomainError as exc:
            failure = exc
    if failure is not None:
        raise failure


def turn_off(*, user: User, current_password: str, code: str) -> None:
    """Back to codes by email or SMS; needs the current password and a code from the app."""
    check_current_password(user=user, password=current_password)  # outside the transaction: a failure must count
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise DomainError(_("Aplikasi autentikator tidak aktif."), code="totp_off")
        failure: DomainError | None = None
        try:
            _verify(device, code)
        except DomainError as exc:
            failure = exc
        else:
            TOTPDevice.objects.filter(user=user).delete()
            record_event("accounts.totp_off", instance=user, before={"totp": True}, after={"totp": False})
    if failure is not None:
        raise failure
