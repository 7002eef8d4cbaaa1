"""The member's own sign-ins under /api/v1/accounts/sessions: web sessions, API tokens and trusted devices, listed
and ended (the same `active_sessions` as the 'Perangkat & sesi' page). Authenticated by bearer token or by the web
session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import logout as django_logout
from ninja import Field, Router, Schema

from jaminanku.accounts.access import MemberApiRequest, member_auth
from jaminanku.accounts.login.api import DoneOut
from jaminanku.accounts.sessions import active_sessions
from jaminanku.core.api_schemas import errors

router = Router(tags=["accounts"], auth=member_auth)


def _operation_id(view: str) -> str:
    """The operation ids these endpoints had in accounts/api_account.py (django-ninja derives them from the module's
    path), kept so that clients generated from the OpenAPI document keep their method names."""
    return f"jaminanku_accounts_api_account_{view}"


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


def _mine(request: MemberApiRequest) -> dict[str, Any]:
    token = getattr(request, "api_token", None)
    return {"api_token": token} if token else {"session_key": request.session.session_key}


@router.get(
    "/sessions",
    response={200: list[SignInOut], **errors(401)},
    summary="Web sessions, tokens, devices",
    operation_id=_operation_id("sign_ins"),
)
def sign_ins(request: MemberApiRequest) -> list[SignInOut]:
    rows = active_sessions.sign_ins_for(user=request.auth, **_mine(request))
    return [SignInOut(**vars(row)) for row in rows]


@router.delete(
    "/sessions/{kind}/{sign_in_id}",
    response={200: DoneOut, **errors(400, 401, 403, 404, 422)},
    summary="End one of the member's own sessions, tokens or trusted devices",
    operation_id=_operation_id("end_sign_in"),
)
def end_sign_in(request: MemberApiRequest, kind: str, sign_in_id: int) -> DoneOut:
    active_sessions.end_sign_in(user=request.auth, kind=kind, pk=sign_in_id)
    if not getattr(request, "api_token", None) and not request.session.exists(request.session.session_key or ""):
        django_logout(request)  # this web session itself was ended
    return DoneOut()


@router.post(
    "/sessions/end-others",
    response={200: EndedOut, **errors(401, 403)},
    summary="End every other session, token and trusted device",
    operation_id=_operation_id("end_other_sign_ins"),
)
def end_other_sign_ins(request: MemberApiRequest) -> EndedOut:
    return EndedOut(ended=active_sessions.end_other_sign_ins(user=request.auth, **_mine(request)))
