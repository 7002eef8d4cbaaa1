"""Account actions under /api/v1/accounts/: login in two steps (email and password, then on a device not trusted
yet a code: the same `twostep` as the web; axes throttles the password step like the web login), logout, the
member's profile, forgot password, changes of email / phone / password, the member's sessions, tokens and trusted
devices, and the status of an account-reset request. Authenticated by bearer token or by the web session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import logout as django_logout
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from jaminanku.accounts import selectors, services
from jaminanku.accounts.access import MemberApiRequest, member_auth
from jaminanku.accounts.login import devices, twostep
from jaminanku.accounts.login.tokens import grant_api_token, revoke_api_token
from jaminanku.accounts.models import LoginChallenge, MemberProfile
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.sessions import active_sessions, clients
from jaminanku.accounts.signup.api import CodeIn, CodePasswordIn, EmailIn, PhoneIn, ResetRequestOut, reset_out
from jaminanku.accounts.web import client_ip
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_nik

router = Router(tags=["accounts"], auth=member_auth)
ACCOUNT_ERRORS = errors(400, 401, 403, 422, 429)  # 403: a web session's POST without its CSRF token


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


class SignInOut(Schema):
    kind: str = Field(description="web (a browser session), api (a token) or device (a trusted device)")
    id: int
    device: str
    place: str = Field(description="network address with the host part hidden, e.g. 203.0.113.x")
    started_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    current: bool = Field(description="the session, token or device making this request")


class EndedOut(Schema):
    ended: int


class MeOut(Schema):
    email: str
    phone: str
    full_name: str
    nik_masked: str
    kpj: list[str]


class PasswordResetConfirmIn(CodePasswordIn):
    email: str = Field(max_length=320)


class EmailChangeIn(EmailIn):
    current_password: str = Field(max_length=128, description="re-authentication before the change")


class PhoneChangeIn(PhoneIn):
    current_password: str = Field(max_length=128, description="re-authentication before the change")


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=128)
    password: str = Field(max_length=128)


class DoneOut(Schema):
    ok: bool = True
    sent_to: str | None = None


def _user(request: MemberApiRequest) -> User:
    """The authenticated member (ninja puts what the auth class returned on `request.auth`)."""
    return request.auth


def _profile(request: MemberApiRequest) -> MemberProfile:
    profile = MemberProfile.objects.select_related("person").filter(user_id=_user(request).pk).first()
    if profile is None:
        raise DomainError(_("Akun ini bukan akun peserta."), code="not_a_member")
    return profile


@router.post(
    "/login",
    response={200: TokenOut, 202: ChallengeOut, **errors(400, 401, 422, 429)},
    auth=None,
    summary="Email and password: a bearer token (trusted device) or a challenge for the second step",
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
    return Status(200, _token_out(request, user, label="login"))


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


def _token_out(request: HttpRequest, user: User, *, label: str, trust: bool = False) -> TokenOut:
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
)
def login_verify(request: HttpRequest, payload: LoginVerifyIn) -> TokenOut:
    user = twostep.finish_login(challenge_id=payload.challenge, code=payload.code)
    return _token_out(request, user, label="login", trust=payload.trust_device)


@router.post(
    "/login/send",
    response={202: ChallengeOut, **errors(400, 422, 429)},
    auth=None,
    summary="Send the second step's code again, or by the other way (email or SMS); 429 when none could go out",
)
def login_send(request: HttpRequest, payload: LoginSendIn) -> Status:
    challenge = twostep.send_code(challenge_id=payload.challenge, method=payload.method)
    return Status(202, _challenge_out(challenge, code_sent=True))


@router.post("/logout", response={200: DoneOut, **errors(401, 403)}, summary="Ends this token (or this web session)")
def logout(request: MemberApiRequest) -> DoneOut:
    token = getattr(request, "api_token", None)
    if token:
        revoke_api_token(token)
    else:
        django_logout(request)
    return DoneOut()


@router.get("/me", response={200: MeOut, **errors(400, 401)})
def me(request: MemberApiRequest) -> MeOut:
    profile = _profile(request)
    return MeOut(
        email=profile.email,
        phone=profile.phone,
        full_name=profile.person.full_name,
        nik_masked=mask_nik(profile.person.nik),
        kpj=list(profile.person.memberships.order_by("registered_on").values_list("kpj", flat=True)),
    )


@router.post(
    "/password-reset",
    response={200: DoneOut, **errors(400, 422, 429)},
    auth=None,
    summary="Forgot password: a code to the email",
)
def password_reset(request: HttpRequest, payload: EmailIn) -> DoneOut:
    recovery.request_password_reset(email=payload.email, client_ip=client_ip(request))
    return DoneOut()  # the same answer whether or not the email has an account


@router.post("/password-reset/confirm", response={200: DoneOut, **errors(400, 422, 429)}, auth=None)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> DoneOut:
    recovery.reset_password(email=payload.email, code=payload.code, new_password=payload.password)
    return DoneOut()


@router.post("/email", response={200: DoneOut, **ACCOUNT_ERRORS}, summary="Change email: a code to the new address")
def change_email(request: MemberApiRequest, payload: EmailChangeIn) -> DoneOut:
    sent_to = services.request_change(
        services.EMAIL_CHANGE,
        user=_user(request),
        new_value=payload.email,
        current_password=payload.current_password,
        client_ip=client_ip(request),
    )
    return DoneOut(sent_to=sent_to)


@router.post("/email/verify", response={200: DoneOut, **ACCOUNT_ERRORS})
def change_email_verify(request: MemberApiRequest, payload: CodeIn) -> DoneOut:
    services.confirm_change(services.EMAIL_CHANGE, user=_user(request), code=payload.code)
    return DoneOut()


@router.post("/phone", response={200: DoneOut, **ACCOUNT_ERRORS}, summary="Change phone: a code to the new number")
def change_phone(request: MemberApiRequest, payload: PhoneChangeIn) -> DoneOut:
    sent_to = services.request_change(
        services.PHONE_CHANGE,
        user=_user(request),
        new_value=payload.phone,
        current_password=payload.current_password,
        client_ip=client_ip(request),
    )
    return DoneOut(sent_to=sent_to)


@router.post("/phone/verify", response={200: DoneOut, **ACCOUNT_ERRORS})
def change_phone_verify(request: MemberApiRequest, payload: CodeIn) -> DoneOut:
    services.confirm_change(services.PHONE_CHANGE, user=_user(request), code=payload.code)
    return DoneOut()


@router.post(
    "/password",
    response={200: TokenOut, **ACCOUNT_ERRORS},
    summary="Change password; every token ends, a new one is returned",
)
def change_password(request: MemberApiRequest, payload: PasswordChangeIn) -> TokenOut:
    user = _user(request)
    services.change_password(user=user, current_password=payload.current_password, new_password=payload.password)
    if not getattr(request, "api_token", None):
        update_session_auth_hash(request, user)  # this web session stays; every other one ends
    return _token_out(request, user, label="password change")


def _mine(request: MemberApiRequest) -> dict[str, Any]:
    token = getattr(request, "api_token", None)
    return {"api_token": token} if token else {"session_key": request.session.session_key}


@router.get("/sessions", response={200: list[SignInOut], **errors(401)}, summary="Web sessions, tokens, devices")
def sign_ins(request: MemberApiRequest) -> list[SignInOut]:
    rows = active_sessions.sign_ins_for(user=_user(request), **_mine(request))
    return [SignInOut(**vars(row)) for row in rows]


@router.delete(
    "/sessions/{kind}/{sign_in_id}",
    response={200: DoneOut, **errors(400, 401, 403, 404, 422)},
    summary="End one of the member's own sessions, tokens or trusted devices",
)
def end_sign_in(request: MemberApiRequest, kind: str, sign_in_id: int) -> DoneOut:
    active_sessions.end_sign_in(user=_user(request), kind=kind, pk=sign_in_id)
    if not getattr(request, "api_token", None) and not request.session.exists(request.session.session_key or ""):
        django_logout(request)  # this web session itself was ended
    return DoneOut()


@router.post(
    "/sessions/end-others",
    response={200: EndedOut, **errors(401, 403)},
    summary="End every other session, token and trusted device",
)
def end_other_sign_ins(request: MemberApiRequest) -> EndedOut:
    return EndedOut(ended=active_sessions.end_other_sign_ins(user=_user(request), **_mine(request)))


@router.get("/reset-requests/{tracking_number}", response={200: ResetRequestOut, **errors(404)}, auth=None)
def reset_request_status(request: HttpRequest, tracking_number: str) -> ResetRequestOut:
    return reset_out(selectors.reset_request_by_tracking_number(tracking_number))
