"""`manage.py purge_signups`: deletes sign-up flows idle for over a week, one-time codes and login challenges
older than a day, trusted devices past their end and failure counts whose window has ended, so the tables stay
small and no personal answers linger. Run daily (cron or a scheduler)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jaminanku.accounts.limits import purge_ended_windows
from jaminanku.accounts.login.twostep import purge_challenges
from jaminanku.accounts.models import OneTimeCode, SignupFlow, TrustedDevice


class Command(BaseCommand):
    help = "Deletes stale sign-up flows (idle > 7 days) and old one-time codes (> 1 day)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        flows = SignupFlow.objects.filter(last_activity_at__lt=now - timedelta(days=7)).delete()[0]
        # the hourly limit per destination looks back one hour; a day keeps a margin for investigations
        codes = OneTimeCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[0]
        purge_challenges(now=now)
        TrustedDevice.objects.filter(expires_at__lt=now).delete()
        purge_ended_windows(now=now)
        self.stdout.write(f"deleted {flows} sign-up flows and {codes} one-time codes")
