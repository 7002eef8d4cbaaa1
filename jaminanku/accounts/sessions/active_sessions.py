"""A member sees and ends their own web sessions, API tokens and trusted devices (ASVS 7.5.2): the
"Perangkat & sesi" page and /api/v1/accounts/sessions.

Why our own small `WebSession` model rather than django-user-sessions: that library replaces the session
backend and middleware, and its last release (2.0.0, 2022) supports Django only up to 4.x. Here Django's own
database sessions stay as they are; a row keyed by the session key is written at login (the `user_logged_in`
signal), its last-seen time follows the session middleware's once-a-minute write, and ending it deletes the
session from the store, so its cookie is worthless at the next request. A session counts as active only if the
store still holds it for this member with the current password's hash and within the idle and absolute limits,
exactly what the next request would accept; rows of sessions gone are dropped when the list is read.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.login import devices
from jaminanku.accounts.login.tokens import token_hash
from jaminanku.accounts.models import ApiToken, TrustedDevice, WebSession
from jaminanku.accounts.sessions import clients
from jaminanku.audit.services import record_event
from jaminanku.core.errors import DomainError, NotFound

# the login time and the last request's time, kept in the session by middleware.SessionLifetimeMiddleware
STARTED_KEY = "auth_started_at"
SEEN_KEY = "auth_seen_at"


def session_expired(session: SessionBase | Mapping[str, Any], now: float) -> bool:
    """Whether a session is past the idle or the absolute limit (kept in it by SessionLifetimeMiddleware)."""
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if started is None or seen is None:
        return False
    too_idle = now - seen > settings.ACCOUNTS_SESSION_IDLE_MINUTES * 60
    too_old = now - started > settings.ACCOUNTS_SESSION_MAX_HOURS * 3600
    return bool(too_idle or too_old)


# the session key a session's row is filed under (Django gives a session a new key when the password changes)
TRACKED_KEY = "auth_tracked_key"
KINDS = ("web", "api", "device")


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)  # type: ignore[no-any-return]


# --- writing -------------------------------------------------------------------------------------------------
@receiver(user_logged_in)
def _track_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    if request is None or session is None or not session.session_key:
        return
    device, place = clients.describe(request)
    now = timezone.now()
    WebSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "device": device, "place": place, "started_at": now, "last_seen_at": now},
    )
    session[TRACKED_KEY] = session.session_key


@receiver(user_logged_out)
def _untrack_logout(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        WebSession.objects.filter(session_key=session.session_key).delete()


def touch(request: HttpRequest) -> None:
    """The session was used (called at most once a minute per session, by the session-lifetime middleware)."""
    key = request.session.session_key
    if key:
        WebSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())


def follow_new_key(request: HttpRequest) -> None:
    """After a request that gave the session a new key (a password change keeps this session under a new key),
    files the row under it. Costs nothing when the key did not change."""
    session = getattr(request, "session", None)
    if session is None or TRACKED_KEY not in session:
        return
    old, new = session[TRACKED_KEY], session.session_key
    if new and old != new:
        WebSession.objects.filter(session_key=old).update(session_key=new)
        session[TRACKED_KEY] = new


# --- reading -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignIn:
    """One line of the "Perangkat & sesi" page."""

    kind: str  # web | api | device
    id: int
    device: str
    place: str
    started_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    current: bool


def _session_accepts(data: dict[str, Any], user: User, now: float) -> bool:
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    if not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return False  # the password changed since: Django ends it at its next request
    return not session_expired(data, now)


def _live_web_sessions(user: User) -> list[WebSession]:
    now = time.time()
    live: list[WebSession] = []
    gone: list[WebSession] = []
    for row in WebSession.objects.filter(user=user).order_by("-last_seen_at"):
        store = _store(row.session_key)
        data = store.load() if store.exists(row.session_key) else {}
        (live if data and _session_accepts(data, user, now) else gone).append(row)
    if gone:
        WebSession.objects.filter(pk__in=[row.pk for row in gone]).delete()
    return live


def sign_ins_for(
    *, user: User, session_key: str | None = None, api_token: str | None = None, device_token: str | None = None
) -> list[SignIn]:
    """The member's live web sessions, API tokens and trusted devices, the caller's own marked `current`."""
    now = timezone.now()
    rows: list[SignIn] = [
        SignIn("web", s.pk, s.device, s.place, s.started_at, s.last_seen_at, None, s.session_key == session_key)
        for s in _live_web_sessions(user)
    ]
    idle_cutoff = now - timedelta(days=settings.API_TOKEN_IDLE_DAYS)
    current_hash = token_hash(api_token or "") if api_token else None
    for t in ApiToken.objects.filter(user=user, expires_at__gt=now).order_by("-created_at"):
        if (t.last_used_at or t.created_at) < idle_cutoff:
            continue
        rows.append(
            SignIn(
                "api",
                t.pk,
                t.device or t.label,
                t.place,
                t.created_at,
                t.last_used_at,
                t.expires_at,
                t.key_hash == current_hash,
            )
        )
    this_device = devices.device_id_for(user=user, raw=device_token)
    for d in TrustedDevice.objects.filter(user=user, expires_at__gt=now).order_by("-last_used_at"):
        rows.append(
            SignIn("device", d.pk, d.device, d.place, d.created_at, d.last_used_at, d.expires_at, d.pk == this_device)
        )
    return rows


# --- ending ----------------------------------------------------------------------------------------------------
def _not_found() -> NotFound:
    return NotFound(_("Sesi atau perangkat ini tidak ditemukan."), code="sign_in_not_found")


@transaction.atomic
def end_sign_in(*, user: User, kind: str, pk: int) -> None:
    """Ends one of `user`'s own sessions, tokens or trusted devices; another member's is "not found"."""
    if not 0 < pk < 2**63:  # beyond any id the database can hold
        raise _not_found()
    if kind == "web":
        row = WebSession.objects.select_for_update().filter(user=user, pk=pk).first()
        if row is None:
            raise _not_found()
        _store(row.session_key).delete(row.session_key)  # the cookie now points at nothing
        row.delete()
    elif kind == "api":
        if not ApiToken.objects.filter(user=user, pk=pk).delete()[0]:
            raise _not_found()
    elif kind == "device":
        if not TrustedDevice.objects.filter(user=user, pk=pk).delete()[0]:
            raise _not_found()
    else:
        raise DomainError(_("Jenis sesi tidak dikenal."), code="sign_in_kind_invalid", field="kind")
    record_event("accounts.sign_in_ended", instance=user, after={"kind": kind, "id": pk})


@transaction.atomic
def end_other_sign_ins(
    *, user: User, session_key: str | None = None, api_token: str | None = None, device_token: str | None = None
) -> int:
    """Ends every session, token and trusted device of `user` except the caller's own."""
    ended = 0
    for row in WebSession.objects.select_for_update().filter(user=user).exclude(session_key=session_key or ""):
        _store(row.session_key).delete(row.session_key)
        row.delete()
        ended += 1
    ended += ApiToken.objects.filter(user=user).exclude(key_hash=token_hash(api_token or "")).delete()[0]
    keep = devices.device_id_for(user=user, raw=device_token)
    ended += TrustedDevice.objects.filter(user=user).exclude(pk=keep or 0).delete()[0]
    record_event("accounts.other_sign_ins_ended", instance=user, after={"ended": ended})
    return ended
