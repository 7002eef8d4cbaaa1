"""`manage.py end_sessions [--user EMAIL]`: logs everybody out (every web session and every API token), or one
login only. For an incident (a leaked database copy, a stolen device); see docs/security.md."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jaminanku.accounts.models import ApiToken
from jaminanku.audit.services import record_event


class Command(BaseCommand):
    help = "Ends every web session and API token, or those of one login (--user)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="the login's username (a member's email)")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username = options.get("user")
        if not username:
            sessions = Session.objects.all().delete()[0]
            tokens = ApiToken.objects.all().delete()[0]
            record_event("accounts.all_sessions_ended", instance=None, after={"sessions": sessions, "tokens": tokens})
        else:
            user = User.objects.filter(username=username.strip().lower()).first()
            if user is None:
                raise CommandError(f"no login {username!r}")
            # a session stores its user's id; only decoding tells whose it is
            ended = [s.pk for s in Session.objects.iterator() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
            sessions = Session.objects.filter(pk__in=ended).delete()[0]
            tokens = ApiToken.objects.filter(user=user).delete()[0]
            record_event("accounts.sessions_ended", instance=user, after={"sessions": sessions, "tokens": tokens})
        self.stdout.write(f"ended {sessions} sessions and {tokens} API tokens")
