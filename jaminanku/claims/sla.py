"""The claim's service level (RULES.md "JHT claims" and "Working days"): due 1 working day after submission up to
the online threshold, 5 above it; a claim submitted on a non-working day counts from the next working day."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from jaminanku.core.workdays import add_working_days


def working_days_allowed(gross: int) -> int:
    if gross <= settings.CLAIMS_ONLINE_THRESHOLD:
        return int(settings.CLAIMS_SLA_DAYS_WITHIN_THRESHOLD)
    return int(settings.CLAIMS_SLA_DAYS_ABOVE_THRESHOLD)


def due_on(submitted_on: date, gross: int) -> date:
    return add_working_days(submitted_on, working_days_allowed(gross))


def needs_second_approval(gross: int) -> bool:
    return gross > settings.CLAIMS_FOUR_EYES_THRESHOLD
