"""Account actions under /api/v1/accounts/: login (a bearer token; axes throttles it like the web login),
logout, the member's profile, forgot password, changes of email / phone / password, and the status of an
account-reset request. Authenticated by bearer token or by the web session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import logout as django_logout
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, SessionAuth
from ninja.security.http import HttpAuthBase

from jaminanku.accounts import recovery, selectors, services
from jaminanku.accounts.api_signup import CodeIn, CodePasswordIn, EmailIn, PhoneIn, ResetRequestOut, reset_out
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.tokens import grant_api_token, revoke_api_token, user_for_api_token
from jaminanku.accounts.views.common import refuse_too_many_code_starts
from jaminanku.api.schemas import errors
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_nik


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user  # services and the audit log read the member from here
            request.api_token = token  # type: ignore[attr-defined]
        return user


member_auth: list[HttpAuthBase | SessionAuth] = [ApiTokenAuth(), SessionAuth()]
router = Router(tags=["accounts"], auth=member_auth)
ACCOUNT_ERRORS = errors(400, 401, 403, 422, 429)  # 403: a web session's POST without its CSRF token


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"


class LoginIn(Schema):
    email: str = Field(max_length=320)
    password: str = Field(max_length=128)


class TokenOut(Schema):
    token: str
    email: str
    expires_at: datetime = Field(description="the token stops working then; log in again for a new one")


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


def _user(request: HttpRequest) -> User:
    """The authenticated member (ninja puts what the auth class returned on `request.auth`)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _profile(request: HttpRequest) -> MemberProfile:
    profile = MemberProfile.objects.select_related("person").filter(user_id=_user(request).pk).first()
    if profile is None:
        raise DomainError(_("Akun ini bukan akun peserta."), code="not_a_member")
    return profile


@router.post(
    "/login",
    response={200: TokenOut, **errors(400, 401, 422, 429)},
    auth=None,
    summary="Email and password for a bearer token",
)
def login(request: HttpRequest, payload: LoginIn) -> TokenOut:
    email = (payload.email or "").strip().lower()
    if not (email.isprintable() and payload.password.isprintable()):  # the web form refuses these too
        raise LoginFailed(_("Email atau kata sandi salah."))
    user = authenticate(request, username=email, password=payload.password)
    if user is None:
        raise LoginFailed(_("Email atau kata sandi salah."))
    issued = grant_api_token(user=user, label="login")
    return TokenOut(token=issued.raw, email=email, expires_at=issued.expires_at)


@router.post("/logout", response={200: DoneOut, **errors(401, 403)}, summary="Ends this token (or this web session)")
def logout(request: HttpRequest) -> DoneOut:
    token = getattr(request, "api_token", None)
    if token:
        revoke_api_token(token)
    else:
        django_logout(request)
    return DoneOut()


@router.get("/me", response={200: MeOut, **errors(400, 401)})
def me(request: HttpRequest) -> MeOut:
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
    refuse_too_many_code_starts(request)
    recovery.request_password_reset(email=payload.email)
    return DoneOut()  # the same answer whether or not the email has an account


@router.post("/password-reset/confirm", response={200: DoneOut, **errors(400, 422, 429)}, auth=None)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> DoneOut:
    recovery.reset_password(email=payload.email, code=payload.code, new_password=payload.password)
    return DoneOut()


@router.post("/email", response={200: DoneOut, **ACCOUNT_ERRORS}, summary="Change email: a code to the new address")
def change_email(request: HttpRequest, payload: EmailChangeIn) -> DoneOut:
    refuse_too_many_code_starts(request)
    sent_to = services.request_email_change(
        user=_user(request), new_email=payload.email, current_password=payload.current_password
    )
    return DoneOut(sent_to=sent_to)


@router.post("/email/verify", response={200: DoneOut, **ACCOUNT_ERRORS})
def change_email_verify(request: HttpRequest, payload: CodeIn) -> DoneOut:
    services.confirm_email_change(user=_user(request), code=payload.code)
    return DoneOut()


@router.post("/phone", response={200: DoneOut, **ACCOUNT_ERRORS}, summary="Change phone: a code to the new number")
def change_phone(request: HttpRequest, payload: PhoneChangeIn) -> DoneOut:
    refuse_too_many_code_starts(request)
    sent_to = services.request_phone_change(
        user=_user(request), new_phone=payload.phone, current_password=payload.current_password
    )
    return DoneOut(sent_to=sent_to)


@router.post("/phone/verify", response={200: DoneOut, **ACCOUNT_ERRORS})
def change_phone_verify(request: HttpRequest, payload: CodeIn) -> DoneOut:
    services.confirm_phone_change(user=_user(request), code=payload.code)
    return DoneOut()


@router.post(
    "/password",
    response={200: TokenOut, **ACCOUNT_ERRORS},
    summary="Change password; every token ends, a new one is returned",
)
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> TokenOut:
    user = _user(request)
    services.change_password(user=user, current_password=payload.current_password, new_password=payload.password)
    if not getattr(request, "api_token", None):
        update_session_auth_hash(request, user)  # this web session stays; every other one ends
    issued = grant_api_token(user=user, label="password change")
    return TokenOut(token=issued.raw, email=_profile(request).email, expires_at=issued.expires_at)


@router.get("/reset-requests/{tracking_number}", response={200: ResetRequestOut, **errors(404)}, auth=None)
def reset_request_status(request: HttpRequest, tracking_number: str) -> ResetRequestOut:
    return reset_out(selectors.reset_request_by_tracking_number(tracking_number))
