"""Shared test fixtures. Every test runs on SQLite by default and on PostgreSQL under scripts/with-postgres."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = [
        # Argon2 stays first so tests see real hashes; its cost is what production pays.
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    # Per-test memory cache; tests about limits shared across processes switch to the database cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
