"""The member's profile under /api/v1/accounts/: who they are (`/me`) and changes of email, phone and password
(the same `services` as the account page). Authenticated by bearer token or by the web session."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from jaminanku.accounts import services
from jaminanku.accounts.access import MemberApiRequest, member_auth
from jaminanku.accounts.login.api import DoneOut, TokenOut, token_out
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.profile import services as contact_changes
from jaminanku.accounts.signup.api import CodeIn, EmailIn, PhoneIn
from jaminanku.accounts.web import client_ip
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_nik

router = Router(tags=["accounts"], auth=member_auth)
ACCOUNT_ERRORS = errors(400, 401, 403, 422, 429)  # 403: a web session's POST without its CSRF token


def _operation_id(view: str) -> str:
    """The operation ids these endpoints had in accounts/api_account.py (django-ninja derives them from the module's
    path), kept so that clients generated from the OpenAPI document keep their method names."""
    return f"jaminanku_accounts_api_account_{view}"


class MeOut(Schema):
    email: str
    phone: str
    full_name: str
    nik_masked: str
    kpj: list[str]


class EmailChangeIn(EmailIn):
    current_password: str = Field(max_length=128, description="re-authentication before the change")


class PhoneChangeIn(PhoneIn):
    current_password: str = Field(max_length=128, description="re-authentication before the change")


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=128)
    password: str = Field(max_length=128)


def _profile(request: MemberApiRequest) -> MemberProfile:
    profile = MemberProfile.objects.select_related("person").filter(user_id=request.auth.pk).first()
    if profile is None:
        raise DomainError(_("Akun ini bukan akun peserta."), code="not_a_member")
    return profile


@router.get("/me", response={200: MeOut, **errors(400, 401)}, operation_id=_operation_id("me"))
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
    "/email",
    response={200: DoneOut, **ACCOUNT_ERRORS},
    summary="Change email: a code to the new address",
    operation_id=_operation_id("change_email"),
)
def change_email(request: MemberApiRequest, payload: EmailChangeIn) -> DoneOut:
    sent_to = contact_changes.request_change(
        contact_changes.EMAIL_CHANGE,
        user=request.auth,
        new_value=payload.email,
        current_password=payload.current_password,
        client_ip=client_ip(request),
    )
    return DoneOut(sent_to=sent_to)


@router.post(
    "/email/verify", response={200: DoneOut, **ACCOUNT_ERRORS}, operation_id=_operation_id("change_email_verify")
)
def change_email_verify(request: MemberApiRequest, payload: CodeIn) -> DoneOut:
    contact_changes.confirm_change(contact_changes.EMAIL_CHANGE, user=request.auth, code=payload.code)
    return DoneOut()


@router.post(
    "/phone",
    response={200: DoneOut, **ACCOUNT_ERRORS},
    summary="Change phone: a code to the new number",
    operation_id=_operation_id("change_phone"),
)
def change_phone(request: MemberApiRequest, payload: PhoneChangeIn) -> DoneOut:
    sent_to = contact_changes.request_change(
        contact_changes.PHONE_CHANGE,
        user=request.auth,
        new_value=payload.phone,
        current_password=payload.current_password,
        client_ip=client_ip(request),
    )
    return DoneOut(sent_to=sent_to)


@router.post(
    "/phone/verify", response={200: DoneOut, **ACCOUNT_ERRORS}, operation_id=_operation_id("change_phone_verify")
)
def change_phone_verify(request: MemberApiRequest, payload: CodeIn) -> DoneOut:
    contact_changes.confirm_change(contact_changes.PHONE_CHANGE, user=request.auth, code=payload.code)
    return DoneOut()


@router.post(
    "/password",
    response={200: TokenOut, **ACCOUNT_ERRORS},
    summary="Change password; every token ends, a new one is returned",
    operation_id=_operation_id("change_password"),
)
def change_password(request: MemberApiRequest, payload: PasswordChangeIn) -> TokenOut:
    user = request.auth
    services.change_password(user=user, current_password=payload.current_password, new_password=payload.password)
    if not getattr(request, "api_token", None):
        update_session_auth_hash(request, user)  # this web session stays; every other one ends
    return token_out(request, user, label="password change")
