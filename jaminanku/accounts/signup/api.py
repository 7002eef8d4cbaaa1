"""The sign-up under /api/v1/signup/: the same flow and service functions as the web pages. The client keeps
the `flow_id` it gets from the first call; the last step answers with an API token."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from jaminanku.accounts import selectors
from jaminanku.accounts.login.tokens import IssuedToken, grant_api_token
from jaminanku.accounts.models import AccountResetRequest, SignupFlow
from jaminanku.accounts.recovery import resets
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.web import client_ip
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import DomainError

router = Router(tags=["signup"])


def _operation_id(view: str) -> str:
    """The operation ids this router had when it was accounts/api_signup.py (django-ninja derives them from the
    module's path), kept so that clients generated from the OpenAPI document keep their method names."""
    return f"jaminanku_accounts_api_signup_{view}"


FLOW_ERRORS = errors(400, 404, 422, 429)  # every step names a flow, and steps that send a code are limited
Step = SignupFlow.Step


class EmailIn(Schema):
    email: str = Field(max_length=320)


class CodeIn(Schema):
    code: str = Field(max_length=32)


class SegmentIn(Schema):
    segment: str = Field(max_length=16, description="PU, BPU or PMI")


class NameIn(Schema):
    full_name: str = Field(max_length=300)


class BirthDateIn(Schema):
    date_of_birth: date


class NikIn(Schema):
    nik: str = Field(max_length=32)


class KpjIn(Schema):
    kpj: str = Field(max_length=32)


class PhoneIn(Schema):
    phone: str = Field(max_length=32)


class PasswordIn(Schema):
    password: str = Field(max_length=128)


class CodePasswordIn(Schema):
    code: str = Field(max_length=32)
    password: str = Field(max_length=128)


class ResetRequestIn(Schema):
    contact_email: str = Field(max_length=320)
    contact_phone: str = Field(max_length=32)


class RegisteredOut(Schema):
    email_masked: str
    phone_masked: str


class ResetRequestOut(Schema):
    tracking_number: str
    status: str
    received_at: datetime
    due_on: date
    decided_at: datetime | None
    reject_reason: str


class FlowOut(Schema):
    flow_id: str
    step: str
    expires_at: datetime
    email: str
    segment: str
    full_name: str
    date_of_birth: date | None
    nik: str
    kpj: str
    phone: str
    registered: RegisteredOut | None = Field(None, description="the old account, masked, in step `registered`")
    reset_request: ResetRequestOut | None = None
    token: str | None = Field(None, description="an API token for the new or recovered account, once")
    token_expires_at: datetime | None = Field(None, description="when that token stops working")


def reset_out(reset: AccountResetRequest) -> ResetRequestOut:
    return ResetRequestOut(
        tracking_number=reset.tracking_number,
        status=reset.status,
        received_at=reset.received_at,
        due_on=reset.due_on,
        decided_at=reset.decided_at,
        reject_reason=reset.reject_reason,
    )


def flow_out(flow: SignupFlow, *, token: IssuedToken | None = None) -> FlowOut:
    registered = None
    if flow.step in (Step.REGISTERED, Step.RECOVERY_CODE, Step.RECOVERY_PASSWORD):
        old = selectors.registered_account(flow=flow)
        registered = RegisteredOut(email_masked=old.email_masked, phone_masked=old.phone_masked)
    return FlowOut(
        flow_id=flow.pk,
        step=flow.step,
        expires_at=flow.expires_at(),
        email=flow.email,
        segment=flow.segment,
        full_name=flow.full_name,
        date_of_birth=flow.date_of_birth,
        nik=flow.nik,
        kpj=flow.kpj,
        phone=flow.phone,
        registered=registered,
        reset_request=reset_out(flow.reset_request) if flow.reset_request else None,
        token=token.raw if token else None,
        token_expires_at=token.expires_at if token else None,
    )


def _with_token(flow: SignupFlow) -> FlowOut:
    if flow.user is None:
        raise DomainError("no account", code="flow_incomplete")
    return flow_out(flow, token=grant_api_token(user=flow.user, label="signup"))


@router.post(
    "/",
    response={201: FlowOut, **errors(400, 422, 429)},
    auth=None,
    summary="Step 1: email; a code is emailed",
    operation_id=_operation_id("start"),
)
def start(request: HttpRequest, payload: EmailIn) -> Status[FlowOut]:
    return Status(201, flow_out(signup.start_signup(email=payload.email, client_ip=client_ip(request))))


@router.get(
    "/{flow_id}",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Where the flow is, with its answers",
    operation_id=_operation_id("show"),
)
def show(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(signup.load_flow(flow_id))


@router.post(
    "/{flow_id}/email",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 1 again after going back",
    operation_id=_operation_id("email"),
)
def email(request: HttpRequest, flow_id: str, payload: EmailIn) -> FlowOut:
    return flow_out(signup.give_email(flow=flow_id, email=payload.email, client_ip=client_ip(request)))


@router.post(
    "/{flow_id}/email/verify",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("verify_email"),
)
def verify_email(request: HttpRequest, flow_id: str, payload: CodeIn) -> FlowOut:
    return flow_out(signup.verify_email_code(flow=flow_id, code=payload.code))


@router.post(
    "/{flow_id}/email/resend",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("resend_email"),
)
def resend_email(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(signup.resend_email_code(flow=flow_id))


@router.post(
    "/{flow_id}/segment",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 2: PU, BPU or PMI",
    operation_id=_operation_id("segment"),
)
def segment(request: HttpRequest, flow_id: str, payload: SegmentIn) -> FlowOut:
    return flow_out(signup.choose_segment(flow=flow_id, segment=payload.segment))


@router.post(
    "/{flow_id}/name",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 3: full name as on the KTP",
    operation_id=_operation_id("name"),
)
def name(request: HttpRequest, flow_id: str, payload: NameIn) -> FlowOut:
    return flow_out(signup.give_name(flow=flow_id, full_name=payload.full_name))


@router.post(
    "/{flow_id}/birth-date",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 4: date of birth",
    operation_id=_operation_id("birth_date"),
)
def birth_date(request: HttpRequest, flow_id: str, payload: BirthDateIn) -> FlowOut:
    return flow_out(signup.give_birth_date(flow=flow_id, date_of_birth=payload.date_of_birth))


@router.post(
    "/{flow_id}/nik",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 5: NIK",
    operation_id=_operation_id("nik"),
)
def nik(request: HttpRequest, flow_id: str, payload: NikIn) -> FlowOut:
    return flow_out(signup.give_nik(flow=flow_id, nik=payload.nik))


@router.post(
    "/{flow_id}/kpj",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 6: KPJ; the identity is checked",
    operation_id=_operation_id("kpj"),
)
def kpj(request: HttpRequest, flow_id: str, payload: KpjIn) -> FlowOut:
    return flow_out(signup.give_kpj(flow=flow_id, kpj=payload.kpj, client_ip=client_ip(request)))


@router.post(
    "/{flow_id}/phone",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 7: mobile number; a code is texted",
    operation_id=_operation_id("phone"),
)
def phone(request: HttpRequest, flow_id: str, payload: PhoneIn) -> FlowOut:
    return flow_out(signup.give_phone(flow=flow_id, phone=payload.phone, client_ip=client_ip(request)))


@router.post(
    "/{flow_id}/phone/verify",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("verify_phone"),
)
def verify_phone(request: HttpRequest, flow_id: str, payload: CodeIn) -> FlowOut:
    return flow_out(signup.verify_phone_code(flow=flow_id, code=payload.code))


@router.post(
    "/{flow_id}/phone/resend",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("resend_phone"),
)
def resend_phone(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(signup.resend_phone_code(flow=flow_id))


@router.post(
    "/{flow_id}/password",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Step 8: password; the account exists",
    operation_id=_operation_id("password"),
)
def password(request: HttpRequest, flow_id: str, payload: PasswordIn) -> FlowOut:
    return _with_token(signup.set_password(flow=flow_id, password=payload.password))


@router.post(
    "/{flow_id}/back",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="Kembali: one step back, answers kept",
    operation_id=_operation_id("back"),
)
def back(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(signup.go_back(flow=flow_id))


# --- "data sudah terdaftar" ----------------------------------------------------------------------------------
@router.post(
    "/{flow_id}/registered/password-reset",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="(a) code to old email",
    operation_id=_operation_id("registered_reset"),
)
def registered_reset(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(recovery.send_password_reset_for_flow(flow=flow_id, client_ip=client_ip(request)))


@router.post(
    "/{flow_id}/registered/password-reset/confirm",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("registered_reset_confirm"),
)
def registered_reset_confirm(request: HttpRequest, flow_id: str, payload: CodePasswordIn) -> FlowOut:
    recovery.reset_password_for_flow(flow=flow_id, code=payload.code, new_password=payload.password)
    return flow_out(signup.load_flow(flow_id))


@router.post(
    "/{flow_id}/registered/recovery",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="(b) code to the old phone",
    operation_id=_operation_id("recovery_start"),
)
def recovery_start(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(recovery.start_phone_recovery(flow=flow_id, client_ip=client_ip(request)))


@router.post(
    "/{flow_id}/registered/recovery/resend",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("recovery_resend"),
)
def recovery_resend(request: HttpRequest, flow_id: str) -> FlowOut:
    return flow_out(recovery.resend_recovery_code(flow=flow_id))


@router.post(
    "/{flow_id}/registered/recovery/verify",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("recovery_verify"),
)
def recovery_verify(request: HttpRequest, flow_id: str, payload: CodeIn) -> FlowOut:
    return flow_out(recovery.verify_recovery_code(flow=flow_id, code=payload.code))


@router.post(
    "/{flow_id}/registered/recovery/password",
    response={200: FlowOut, **FLOW_ERRORS},
    auth=None,
    operation_id=_operation_id("recovery_password"),
)
def recovery_password(request: HttpRequest, flow_id: str, payload: PasswordIn) -> FlowOut:
    return _with_token(recovery.finish_recovery(flow=flow_id, password=payload.password))


@router.post(
    "/{flow_id}/registered/account-reset",
    response={201: FlowOut, **FLOW_ERRORS},
    auth=None,
    summary="(c) ask the agency",
    operation_id=_operation_id("account_reset"),
)
def account_reset(request: HttpRequest, flow_id: str, payload: ResetRequestIn) -> Status[FlowOut]:
    resets.request_account_reset(flow=flow_id, contact_email=payload.contact_email, contact_phone=payload.contact_phone)
    return Status(201, flow_out(signup.load_flow(flow_id)))
