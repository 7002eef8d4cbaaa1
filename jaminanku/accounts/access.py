"""Who the logged-in member is, and which KPJs are theirs. Every member page and API call reads the person from the
login, never from the URL, so one member cannot reach another's data by changing an address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth
from ninja.security.http import HttpAuthBase

from jaminanku.accounts.login.tokens import plausible_api_token, token_hash, touch_api_token, user_for_api_token
from jaminanku.accounts.models import MemberProfile
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.registry.models import Membership, Person


def person_for(user: Any) -> Person | None:
    """The registry person behind an account; None for staff logins and closed accounts."""
    if not getattr(user, "is_authenticated", False):
        return None
    if User.member_profile.is_cached(user):  # the API token look-up read the profile and person already
        profile = getattr(user, "member_profile", None)  # None when it found no profile
    else:
        profile = MemberProfile.objects.select_related("person").filter(user_id=user.pk).first()
    return profile.person if profile is not None else None


class MemberRequest(HttpRequest):
    """The request a member_required view gets: `person` is the logged-in member's registry person."""

    person: Person


P = ParamSpec("P")


def member_required(
    view: Callable[Concatenate[MemberRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Login required; the person is put on `request.person`. A login without a member profile (staff) gets a
    plain explanation rather than an error."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        person = person_for(request.user)
        if person is None:
            return render(request, "member/not_a_member.html", status=403)
        member_request = cast(MemberRequest, request)  # the one place that makes a request a MemberRequest
        member_request.person = person
        return view(member_request, *args, **kwargs)

    return wrapper


class MemberApiRequest(HttpRequest):
    """The request an API endpoint behind member_auth gets: `auth` is the member's User (what the auth class
    returned); `api_token` is the bearer token the call came with, and is not there for a web session's call."""

    auth: User
    api_token: str


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user  # services and the audit log read the member from here
            cast(MemberApiRequest, request).api_token = token
        return user


@dataclass(frozen=True)
class TokenRead:
    """What a hot read's one statement found for a bearer token (see ReadWithTokenAuth): the token's user (with
    its member profile and person cached, or None cached when it has none), whether last_used_at is due to be
    written, and the read's own data (None for a login without member data)."""

    user: User
    token_id: int
    touch_due: bool
    data: Any


class ReadWithTokenAuth(HttpBearer):
    """Bearer-token authentication for a hot read whose one SQL statement checks the token and reads the answer
    together (jaminanku.member.selectors_hot): `read(key_hash, now)` returns a TokenRead, or None for a token
    that is unknown, expired, idle too long or whose user is inactive — the refusals of ApiTokenAuth. The data
    is put on `request.token_read` for the endpoint."""

    def __init__(self, read: Callable[[str, datetime], TokenRead | None]) -> None:
        super().__init__()
        self.read = read

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not plausible_api_token(token):
            return None
        now = timezone.now()
        found = self.read(token_hash(token), now)
        if found is None:
            return None
        if found.touch_due:
            touch_api_token(found.token_id, now)
        request.user = found.user
        cast(MemberApiRequest, request).api_token = token
        request.token_read = found.data  # type: ignore[attr-defined]
        return found.user


# how every member endpoint of the API knows the member: a bearer token from /api/v1/accounts/login, or the web
# session
member_auth: list[HttpAuthBase | SessionAuth] = [ApiTokenAuth(), SessionAuth()]


class NotAMember(DomainError):
    status = 403
    code = "not_a_member"


def api_person(request: HttpRequest) -> Person:
    """The person behind an API call's login; a login without member data is refused (403)."""
    person = person_for(request.user)
    if person is None:
        raise NotAMember(_("Akun ini tidak terhubung dengan data peserta."))
    return person


def membership_of(person: Person, kpj: str) -> Membership:
    """One of the person's own KPJs; another person's KPJ is simply not found (no hint that it exists)."""
    # PostgreSQL refuses NUL in a query; no KPJ has one
    membership = (
        Membership.objects.filter(person=person, kpj=kpj).select_related("person").first()
        if "\x00" not in kpj
        else None
    )
    if membership is None:
        raise NotFound(_("Nomor KPJ tidak ditemukan."), code="kpj_not_found")
    return membership
