"""The login's second step (ASVS 6.3.3), shared by the web login, the API login and the back office: after a
correct password, a device not trusted yet must show a 6-digit code, sent to the account's verified email (or,
if the member chooses, by SMS to the verified mobile number), or from the member's authenticator app when they
turned one on. The codes are the accounts app's one-time codes (`codes`: hashed, 10 minutes, 5 tries, resend
and hourly limits per destination and purpose); this module keeps the challenge between the two steps and
tells the member truthfully whether a code went out.

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

from jaminanku.accounts import codes
from jaminanku.accounts.login import devices, totp
from jaminanku.accounts.login import notices as login_notices
from jaminanku.accounts.models import LoginChallenge, MemberProfile
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_email, mask_phone
from jaminanku.core.times import moment_text

Method = LoginChallenge.Method
LIVES = codes.VALID_FOR  # a challenge lasts as long as a code
MAX_WRONG_TRIES = codes.MAX_WRONG_TRIES  # per challenge, for authenticator codes (email/SMS codes count their own)


@dataclass(frozen=True)
class LoginStart:
    """Either `user` (the device is trusted: log in now) or `challenge` (ask for the second step). `withheld`
    says why no code went out with it (the resend wait or the hourly limit on that address): the code page and
    the API's answer tell the member so, with the code that still works, if any, and the other ways in."""

    user: User | None = None
    challenge: LoginChallenge | None = None
    withheld: codes.Hold | None = None

    @property
    def code_sent(self) -> bool:
        return self.challenge is not None and self.challenge.method != Method.TOTP and self.withheld is None


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


@dataclass(frozen=True)
class CodeStatus:
    """The truth about the code of a challenge's method (email or SMS) at one moment, for the code page and the
    API: the code that still works for this login, if any, and why and until when no new one can be asked for."""

    code_sent_at: datetime | None  # when the code that works now went out (maybe before this login began)
    sent_for_this_login: bool  # that code went out after this login began (the usual case)
    code_valid_until: datetime | None
    hold: codes.Hold | None  # the resend wait or the hourly limit on this method's address
    other_ways: list[str]  # the other methods that can be used right now
    text: str  # what the member is told, the same on the web and in the API


def _where(challenge: LoginChallenge) -> str:
    if challenge.method == Method.SMS:
        return _("nomor HP %(phone)s") % {"phone": destination_masked(challenge)}
    return _("email %(email)s") % {"email": destination_masked(challenge)}


def _usable_now(user: User, method: str, now: datetime) -> bool:
    if method == Method.TOTP:
        return True
    destination = _destination(user, method)
    return codes.hold_on(purpose=codes.Purpose.LOGIN, destination=destination, now=now) is None


def code_status(challenge: LoginChallenge, *, now: datetime | None = None) -> CodeStatus | None:
    """What the code page says about the code (None for an authenticator app, which needs no code sent).
    Read from the code rows, so it stays true whichever browser or app sent or used the latest code."""
    if challenge.method == Method.TOTP:
        return None
    now = now or timezone.now()
    user = challenge.user
    destination = _destination(user, challenge.method)
    code = codes.usable_code(purpose=codes.Purpose.LOGIN, scope=_scope(user), now=now)
    if code is not None and code.destination != destination:
        code = None  # the working code went by the other method; this page speaks of its own
    hold = codes.hold_on(purpose=codes.Purpose.LOGIN, destination=destination, now=now)
    others = [m for m in methods_for(user) if m != challenge.method and _usable_now(user, m, now)]
    fresh = code is not None and code.created_at >= challenge.created_at
    return CodeStatus(
        code_sent_at=code.created_at if code else None,
        sent_for_this_login=fresh,
        code_valid_until=code.expires_at if code else None,
        hold=hold,
        other_ways=others,
        text=_status_text(challenge, code=code, fresh=fresh, hold=hold, others=others, now=now),
    )


def _status_text(
    challenge: LoginChallenge,
    *,
    code: codes.OneTimeCode | None,
    fresh: bool,
    hold: codes.Hold | None,
    others: list[str],
    now: datetime,
) -> str:
    where = _where(challenge)
    parts: list[str] = []
    if fresh:
        if challenge.method == Method.SMS:
            parts.append(
                _("Kami mengirim kode 6 angka lewat SMS ke %(sent_to)s.") % {"sent_to": destination_masked(challenge)}
            )
        else:
            parts.append(
                _("Anda masuk dari perangkat yang belum dikenal. Kami mengirim kode 6 angka ke email %(sent_to)s.")
                % {"sent_to": destination_masked(challenge)}
            )
    elif code is not None:
        parts.append(
            _(
                "Kode baru tidak dikirim: kode 6 angka sudah dikirim ke %(where)s pada %(sent_at)s (misalnya saat "
                "masuk dari perangkat lain) dan masih berlaku sampai %(valid_until)s. Pakai kode itu."
            )
            % {
                "where": where,
                "sent_at": moment_text(code.created_at, now=now),
                "valid_until": moment_text(code.expires_at, now=now),
            }
        )
    elif hold is not None and hold.reason == "code_hourly_limit":
        parts.append(
            _("Kode baru belum dikirim ke %(where)s: sudah %(count)s kode dikirim ke sana dalam satu jam terakhir.")
            % {"where": where, "count": codes.PER_HOUR}
        )
    elif hold is not None:
        parts.append(
            _(
                "Kode baru belum dikirim ke %(where)s: kode terakhir dikirim ke sana kurang dari semenit yang lalu "
                "dan sudah tidak berlaku (mungkin sudah dipakai untuk masuk di perangkat lain)."
            )
            % {"where": where}
        )
    else:
        parts.append(str(_("Tidak ada kode yang masih berlaku untuk langkah ini. Minta kode baru di bawah.")))
    if not fresh:
        if hold is not None:
            parts.append(
                _("Kode baru ke %(where)s bisa diminta mulai %(time)s.")
                % {"where": where, "time": moment_text(hold.until, now=now)}
            )
        if code is None and others:
            parts.append(
                _("Anda bisa memakai cara lain sekarang: %(ways)s.")
                % {"ways": ", ".join(str(Method(m).label) for m in others)}
            )
    return " ".join(str(part) for part in parts)


def _destination(user: User, method: str) -> str:
    destination = _phone(user) if method == Method.SMS else user.email
    if not destination:
        raise DomainError(
            _("Akun ini belum punya email untuk kode masuk. Hubungi administrator."), code="login_no_destination"
        )
    return destination


def _send(challenge: LoginChallenge, *, now: datetime) -> codes.Hold | None:
    """Sends a new code by the challenge's method; returns why none went out (None: one did). A code sent
    moments earlier for another login of the same account (another browser, the app) keeps working: the codes
    are bound to the account, not to one challenge."""
    user, method = challenge.user, challenge.method
    try:
        with transaction.atomic():  # a savepoint: a withheld code leaves the challenge in place
            codes.issue_code(
                purpose=codes.Purpose.LOGIN,
                scope=_scope(user),
                channel="sms" if method == Method.SMS else "email",
                destination=_destination(user, method),
                message=login_notices.login_sms_code if method == Method.SMS else login_notices.login_email_code,
                now=now,
            )
    except codes.CodeWithheld as exc:
        return exc.hold
    return None


def begin_login(*, user: User, device_token: str | None = None, now: datetime | None = None) -> LoginStart:
    """Called after a correct password. A trusted device logs in at once; otherwise a challenge is made and,
    unless the member uses an authenticator app, a code goes to their email. When the code must wait (the
    resend minute, the hourly limit) the challenge is made all the same, so the member can use a code that
    still works, choose SMS, or see when a new code can be asked for, instead of being stopped at the password."""
    now = now or timezone.now()
    if devices.is_trusted(user=user, raw=device_token, now=now):
        return LoginStart(user=user)
    method = methods_for(user)[0]
    withheld = None
    with transaction.atomic():
        challenge = LoginChallenge.objects.create(
            id=secrets.token_urlsafe(32), user=user, method=method, created_at=now, expires_at=now + LIVES
        )
        if method != Method.TOTP:
            withheld = _send(challenge, now=now)
    return LoginStart(challenge=challenge, withheld=withheld)


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
    """The member chooses email or SMS on the code page (or asks for a new code). Raises CodeWithheld (429) when
    no code could go out, leaving the challenge's method as it was."""
    now = now or timezone.now()
    challenge = _open(challenge_id, now, lock=True)
    if method not in methods_for(challenge.user) or method == Method.TOTP:
        raise DomainError(_("Cara ini tidak tersedia untuk akun Anda."), code="login_method_unavailable")
    challenge.method = method
    challenge.save(update_fields=["method"])
    withheld = _send(challenge, now=now)
    if withheld is not None:  # said as an error, so "a new code was sent" is never claimed; the switch is undone
        raise codes.CodeWithheld(withheld, now=now)
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
