"""Shared test fixtures. Every test runs on SQLite by default and on PostgreSQL under scripts/with-postgres."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compiles the translations when a .po file is newer than its .mo (make does this too)."""
    import subprocess

    locale = Path(__file__).resolve().parent / "locale"
    for po in locale.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607


@pytest.fixture(scope="session")
def breached_password_service():
    """The Pwned Passwords range API as a local server (accounts/tests/breached_service.py); subprocesses that the
    tests start find it through the environment."""
    from jaminanku.accounts.tests.breached_service import RangeService

    service = RangeService()
    previous = os.environ.get("PWNED_PASSWORDS_URL")
    os.environ["PWNED_PASSWORDS_URL"] = service.url
    yield service
    service.close()
    if previous is None:
        del os.environ["PWNED_PASSWORDS_URL"]
    else:
        os.environ["PWNED_PASSWORDS_URL"] = previous


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, breached_password_service):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PWNED_PASSWORDS_URL = breached_password_service.url
    breached_password_service.available = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = [
        # Argon2 stays first so tests see real hashes; its cost is what production pays.
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    # Per-test memory cache; tests about limits shared across processes switch to the database cache.
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="module")
def reload_reference_data(django_db_blocker):
    """Transactional tests end with a flush that also empties the rows the data migrations loaded (regions, rate
    tables). A module with transactional tests uses this fixture to put them back once it is done, so later tests
    in the session still find them."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def staff_client(client, django_user_model):
    """A client logged in as a superuser (supervisor role)."""
    user = django_user_model.objects.create_superuser("supervisor", "s@example.com", "a-long-password-1")
    client.force_login(user)
    return client


CHROMIUM = "/usr/bin/chromium"


def _chromium_page(monkeypatch, **context_options):
    # Playwright's sync API runs an event loop in this thread, while the ORM calls the test makes stay
    # synchronous; set only for the test, so it does not leak into subprocesses other tests start
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="id-ID", accept_downloads=True, **context_options)
        yield context.new_page()
        context.close()
        browser.close()
        # While Playwright's event loop runs in this thread, the ORM calls of the test see another async context,
        # hence a database connection of their own: closed here, inside that context, or it outlives the test
        # and PostgreSQL refuses to drop the test database at the end of the session.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def phone_page(monkeypatch):
    """A page in Debian's Chromium (driven by Playwright) with a phone's viewport and an Indonesian locale;
    `phone_page.context` can take the network away."""
    yield from _chromium_page(monkeypatch, viewport={"width": 390, "height": 844})


@pytest.fixture
def small_phone_page(monkeypatch):
    """The smallest screen we design for (360×640). The page's CSP is bypassed so that a test can inject axe-core;
    the CSP itself is tested on the responses."""
    yield from _chromium_page(monkeypatch, viewport={"width": 360, "height": 640}, bypass_csp=True)
