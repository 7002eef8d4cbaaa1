"""Login under /api/v1/accounts/ in two steps (email and password, then on a device not trusted yet a code: the
same `twostep` as the web; axes throttles the password step like the web login), and logout. Authenticated by
bearer token or by the web session; `token_out` also answers the profile's password change."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.contrib.auth import logout as django_logout
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from jaminanku.accounts.access import MemberApiRequest, member_auth
from jaminanku.accounts.login import devices, twostep
from jaminanku.accounts.login.tokens import grant_api_token, revoke_api_token
from jaminanku.accounts.models import LoginChallenge
from jaminanku.accounts.sessions import clients
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import DomainError

router = Router(tags=["accounts"], auth=member_auth)


def _operation_id(view: str) -> str:
    """The operation ids these endpoints had in accounts/api_account.py (django-ninja derives them from the module's
    path), kept so that clients generated from the OpenAPI document keep their method names."""
    return f"jaminanku_accounts_api_account_{view}"


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"


class LoginIn(Schema):
    email: str = Field(max_length=320)
    password: str = Field(max_length=128)
    device_token: str | None = Field(
        None, max_length=100, description="the `device_token` an earlier login gave: skips the second step"
    )


class TokenOut(Schema):
    token: str
    email: str
    expires_at: datetime = Field(description="the token stops working then; log in again for a new one")
    device_token: str | None = Field(
        None, description="after a second step with `trust_device`: send it with later logins from this device"
    )
    device_expires_at: datetime | None = None


class ChallengeOut(Schema):
    challenge: str = Field(description="send it back with the code to /accounts/login/verify")
    method: str = Field(description="email, sms or totp (a code from the member's authenticator app)")
    sent_to: str = Field(description="where this method's code goes, masked; empty for totp")
    methods: list[str] = Field(description="what /accounts/login/send may switch to")
    expires_at: datetime
    code_sent: bool = Field(
        description="whether a new code went out with this answer; false for totp, and when the resend wait or "
        "the hourly limit held it back (see `not_sent_reason`)"
    )
    not_sent_reason: str | None = Field(
        None,
        description="why no new code went out: code_resend_too_soon (one went to the same address less than 60 s "
        "ago, e.g. for a login in another browser) or code_hourly_limit (5 went there within the hour)",
    )
    code_sent_at: datetime | None = Field(
        None, description="when the code that works for this login now went out (it may predate this login)"
    )
    code_valid_until: datetime | None = Field(None, description="until when that code works; null when none does")
    retry_after: int | None = Field(
        None,
        description="seconds before /accounts/login/send can send a new code by this method; null when it can now",
    )
    next_code_at: datetime | None = Field(None, description="the moment `retry_after` counts down to")
    other_ways: list[str] = Field(
        default_factory=list, description="other methods that can send a code right now (e.g. sms when email waits)"
    )
    message: str = Field("", description="what to tell the member, as the web's code page says it")


class LoginVerifyIn(Schema):
    challenge: str = Field(max_length=64)
    code: str = Field(max_length=12)
    trust_device: bool = Field(True, description="skip the second step on this device for 30 days")


class LoginSendIn(Schema):
    challenge: str = Field(max_length=64)
    method: str = Field(max_length=10, description="email or sms")


class DoneOut(Schema):
    ok: bool = True
    sent_to: str | None = None


@router.post(
    "/login",
    response={200: TokenOut, 202: ChallengeOut, **errors(400, 401, 422, 429)},
    auth=None,
    summary="Email and password: a bearer token (trusted device) or a challenge for the second step",
    operation_id=_operation_id("login"),
)
def login(request: HttpRequest, payload: LoginIn) -> Status:
    email = (payload.email or "").strip().lower()
    if not (email.isprintable() and payload.password.isprintable()):  # the web form refuses these too
        raise LoginFailed(_("Email atau kata sandi salah."))
    user = authenticate(request, username=email, password=payload.password)
    if user is None:
        raise LoginFailed(_("Email atau kata sandi salah."))
    start = twostep.begin_login(user=user, device_token=payload.device_token)
    if start.user is None:
        assert start.challenge is not None
        withheld = start.withheld.reason if start.withheld else None
        return Status(202, _challenge_out(start.challenge, code_sent=start.code_sent, not_sent_reason=withheld))
    return Status(200, token_out(request, user, label="login"))


def _challenge_out(challenge: LoginChallenge, *, code_sent: bool, not_sent_reason: str | None = None) -> ChallengeOut:
    now = timezone.now()
    status = twostep.code_status(challenge, now=now)  # None for an authenticator app: nothing is sent
    hold = status.hold if status else None
    return ChallengeOut(
        challenge=challenge.id,
        method=challenge.method,
        sent_to=twostep.destination_masked(challenge),
        methods=[m for m in twostep.methods_for(challenge.user) if m != twostep.Method.TOTP],
        expires_at=challenge.expires_at,
        code_sent=code_sent,
        not_sent_reason=not_sent_reason,
        code_sent_at=status.code_sent_at if status else None,
        code_valid_until=status.code_valid_until if status else None,
        retry_after=hold.retry_after(now) if hold else None,
        next_code_at=hold.until if hold else None,
        other_ways=status.other_ways if status else [],
        message=status.text if status else "",
    )


def token_out(request: HttpRequest, user: User, *, label: str, trust: bool = False) -> TokenOut:
    device, place = clients.describe(request)
    issued = grant_api_token(user=user, label=label, device=device, place=place)
    out = TokenOut(token=issued.raw, email=user.email, expires_at=issued.expires_at, device_token=None)
    if trust:
        trusted = devices.trust_device(user=user, device=device, place=place)
        out.device_token, out.device_expires_at = trusted.raw, trusted.expires_at
    return out


@router.post(
    "/login/verify",
    response={200: TokenOut, **errors(400, 422, 429)},
    auth=None,
    summary="The second step: the code sent (or from the authenticator app) for a bearer token",
    operation_id=_operation_id("login_verify"),
)
def login_verify(request: HttpRequest, payload: LoginVerifyIn) -> TokenOut:
    user = twostep.finish_login(challenge_id=payload.challenge, code=payload.code)
    return token_out(request, user, label="login", trust=payload.trust_device)


@router.post(
    "/login/send",
    response={202: ChallengeOut, **errors(400, 422, 429)},
    auth=None,
    summary="Send the second step's code again, or by the other way (email or SMS); 429 when none could go out",
    operation_id=_operation_id("login_send"),
)
def login_send(request: HttpRequest, payload: LoginSendIn) -> Status:
    challenge = twostep.send_code(challenge_id=payload.challenge, method=payload.method)
    return Status(202, _challenge_out(challenge, code_sent=True))


@router.post(
    "/logout",
    response={200: DoneOut, **errors(401, 403)},
    summary="Ends this token (or this web session)",
    operation_id=_operation_id("logout"),
)
def logout(request: MemberApiRequest) -> DoneOut:
    token = getattr(request, "api_token", None)
    if token:
        revoke_api_token(token)
    else:
        django_logout(request)
    return DoneOut()
