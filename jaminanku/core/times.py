"""A moment for a sentence a member reads ("bisa diminta lagi mulai 14:05"): local time (Asia/Jakarta), with the
date only when it is not today."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format


def moment_text(moment: datetime, *, now: datetime | None = None) -> str:
    """`14:05` when `moment` falls on today's local date, else `07/12/2026 14:05` (SHORT_DATETIME_FORMAT)."""
    local = timezone.localtime(moment)
    today = timezone.localdate(now or timezone.now())
    if local.date() == today:
        return date_format(local, "H:i")
    return date_format(local, "SHORT_DATETIME_FORMAT")
