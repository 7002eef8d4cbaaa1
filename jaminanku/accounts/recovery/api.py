"""Recovery under /api/v1/accounts/: forgot password (a code to the email, then a new password) and the status of
an account-reset request. No authentication: the member cannot log in."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router

from jaminanku.accounts import selectors
from jaminanku.accounts.access import member_auth
from jaminanku.accounts.login.api import DoneOut
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.signup.api import CodePasswordIn, EmailIn, ResetRequestOut, reset_out
from jaminanku.accounts.web import client_ip
from jaminanku.core.api_schemas import errors

router = Router(tags=["accounts"], auth=member_auth)


def _operation_id(view: str) -> str:
    """The operation ids these endpoints had in accounts/api_account.py (django-ninja derives them from the module's
    path), kept so that clients generated from the OpenAPI document keep their method names."""
    return f"jaminanku_accounts_api_account_{view}"


class PasswordResetConfirmIn(CodePasswordIn):
    email: str = Field(max_length=320)


@router.post(
    "/password-reset",
    response={200: DoneOut, **errors(400, 422, 429)},
    auth=None,
    summary="Forgot password: a code to the email",
    operation_id=_operation_id("password_reset"),
)
def password_reset(request: HttpRequest, payload: EmailIn) -> DoneOut:
    recovery.request_password_reset(email=payload.email, client_ip=client_ip(request))
    return DoneOut()  # the same answer whether or not the email has an account


@router.post(
    "/password-reset/confirm",
    response={200: DoneOut, **errors(400, 422, 429)},
    auth=None,
    operation_id=_operation_id("password_reset_confirm"),
)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> DoneOut:
    recovery.reset_password(email=payload.email, code=payload.code, new_password=payload.password)
    return DoneOut()


@router.get(
    "/reset-requests/{tracking_number}",
    response={200: ResetRequestOut, **errors(404)},
    auth=None,
    operation_id=_operation_id("reset_request_status"),
)
def reset_request_status(request: HttpRequest, tracking_number: str) -> ResetRequestOut:
    return reset_out(selectors.reset_request_by_tracking_number(tracking_number))
