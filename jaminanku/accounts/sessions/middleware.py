"""Session lifetime for logged-in members: logged out after ACCOUNTS_SESSION_IDLE_MINUTES without a request, and
ACCOUNTS_SESSION_MAX_HOURS after logging in whatever they do (ASVS 7.3.1 and 7.3.2; docs/security.md).

The login time and the last request's time are kept in the session itself (server-side, in the database). The
last-seen time is written at most once a minute, so reading pages does not turn every request into a write; the
"Perangkat & sesi" page's row of the session (`active_sessions`) follows at the same moments.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from jaminanku.accounts.sessions import active_sessions
from jaminanku.accounts.sessions.active_sessions import SEEN_KEY, STARTED_KEY, session_expired

_WRITE_EVERY = 60  # seconds


@receiver(user_logged_in)
def _remember_login_time(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if logged_in:
            now = time.time()
            if STARTED_KEY not in request.session:  # a session from before this rule: its clock starts now
                request.session[STARTED_KEY] = request.session[SEEN_KEY] = int(now)
            if session_expired(request.session, now):
                logout(request)  # deletes the session row: the old cookie is worth nothing
            elif now - request.session.get(SEEN_KEY, 0) >= _WRITE_EVERY:
                request.session[SEEN_KEY] = int(now)
                active_sessions.touch(request)
        response = self.get_response(request)
        if logged_in:
            active_sessions.follow_new_key(request)  # a password change gives this session a new key
        return response
