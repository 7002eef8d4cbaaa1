"""`manage.py check --deploy`: production must have the card signing key, since it never makes one itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from jaminanku.card.signing import signing_key


@register(Tags.security, deploy=True)
def card_signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []  # outside production the key is made under var/ on first use
    try:
        signing_key()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Every server must sign cards with the agency's one key: give it as CARD_SIGNING_KEY (PEM) or "
                "as the file CARD_SIGNING_KEY_FILE; `manage.py make_card_key --print` makes a new one.",
                id="card.E001",
            )
        ]
    return []
