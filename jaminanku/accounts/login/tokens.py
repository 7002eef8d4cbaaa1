"""Bearer tokens for the mobile API. A token is 32 random bytes shown once; only its SHA-256 is stored, so a
database leak yields no usable token (the token has enough entropy that a fast hash is enough). A token works
until its `expires_at` (API_TOKEN_LIFETIME_DAYS after issue), then the member logs in again."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from jaminanku.accounts.models import ApiToken, api_token_expiry

PREFIX = "jk_"
# writing last_used_at on every request would turn each read into a write; once a minute is plenty
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    expires_at: datetime


def token_hash(raw: str) -> str:
    """What is stored of a bearer secret (API token, trusted-device token): its SHA-256, never the secret."""
    return hashlib.sha256(raw.encode()).hexdigest()


def grant_api_token(*, user: User, label: str = "", device: str = "", place: str = "") -> IssuedToken:
    """A new token and when it stops working (for clients to show or to plan a new login). `device` and `place`
    (the app's name and its masked address) are what the member sees on "Perangkat & sesi"."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(raw),
        label=label[:100],
        device=device[:100],
        place=place[:50],
        expires_at=api_token_expiry(),
    )
    return IssuedToken(raw, token.expires_at)


def issue_api_token(*, user: User, label: str = "") -> str:
    return grant_api_token(user=user, label=label).raw


def plausible_api_token(raw: str) -> bool:
    """Whether `raw` can be a token at all (checked before any query)."""
    return bool(raw) and raw.startswith(PREFIX) and len(raw) <= 100


def idle_cutoff(now: datetime) -> datetime:
    """A token last used (or, never used, issued) before this has been idle too long (ASVS 7.3.1)."""
    return now - timedelta(days=settings.API_TOKEN_IDLE_DAYS)


def touch_cutoff(now: datetime) -> datetime:
    """A token last used before this (or never) gets its last_used_at written again."""
    return now - _TOUCH_EVERY


def touch_api_token(token_id: int, now: datetime) -> None:
    ApiToken.objects.filter(pk=token_id).update(last_used_at=now)


def user_for_api_token(raw: str) -> User | None:
    if not plausible_api_token(raw):
        return None
    now = timezone.now()
    # The member's profile and person come in the same query: every member API call needs them next
    # (jaminanku.accounts.access.person_for), and one query costs less than two (bench/README.md, reads).
    token = (
        ApiToken.objects.select_related("user__member_profile__person")
        .filter(key_hash=token_hash(raw), expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    idle_since = token.last_used_at or token.created_at
    if idle_since < idle_cutoff(now):
        return None
    if token.last_used_at is None or token.last_used_at < touch_cutoff(now):
        touch_api_token(token.pk, now)
    return token.user


def revoke_api_token(raw: str) -> bool:
    return ApiToken.objects.filter(key_hash=token_hash(raw or "")).delete()[0] > 0
