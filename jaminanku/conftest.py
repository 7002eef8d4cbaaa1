"""Shared test fixtures. Every test runs on SQLite by default and on PostgreSQL under scripts/with-postgres."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compiles the translations when a .po file is newer than its .mo (make does this too)."""
    import subprocess

    locale = Path(__file__).resolve().parent / "locale"
    for po in locale.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607


def pytest_configure(config: pytest.Config) -> None:
    from django.db.backends.base.creation import BaseDatabaseCreation

    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_in_bulk  # type: ignore[method-assign]


def _deserialize_in_bulk(self, data: str) -> None:  # noqa: ANN001 - Django's method, replaced for the tests
    """Django's `deserialize_db_from_string` (what puts the data migrations' rows back after a transactional
    test's flush, `serialized_rollback`) with each model's rows inserted in one bulk statement per thousand,
    where Django saves them one by one, an UPDATE and an INSERT each: the 1 MB of reference data (regions,
    offices, rates, roles) took 6.4 s per transactional test on PostgreSQL, most of the suite's time there.
    The same rows, in the same model order (the serialization sorts models by their dependencies), inserted or
    updated like Django's save, in one transaction with the same constraint check at the end; no save signals,
    as none is meant for raw loads."""
    from collections import defaultdict
    from io import StringIO

    from django.core import serializers
    from django.db import transaction
    from django.db.models import Model

    alias = self.connection.alias
    rows: dict[type[Model], list[Model]] = defaultdict(list)
    # (through model, its column of the object) -> the object's pk -> its links
    links: dict[tuple[type[Model], str], dict[Any, list[Model]]] = defaultdict(dict)
    for found in serializers.deserialize("json", StringIO(data), using=alias):
        model = type(found.object)
        rows[model].append(found.object)
        for name, targets in (found.m2m_data or {}).items():
            field: Any = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            pk = found.object.pk
            links[through, source][pk] = [through(**{source: pk, target: other}) for other in targets]
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for model, objects in rows.items():
            # a row still there (the first test finds the migrations' rows) is updated, as Django's save does
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model._base_manager.using(alias).bulk_create(
                objects,
                batch_size=1000,
                update_conflicts=bool(fields),
                ignore_conflicts=not fields,
                unique_fields=[model._meta.pk.name] if fields else None,
                update_fields=fields or None,
            )
        for (through, source), by_object in links.items():
            # what the many-to-many `set()` of Django's save does: an object's links become exactly these
            through._base_manager.using(alias).filter(**{f"{source}__in": list(by_object)}).delete()
            through._base_manager.using(alias).bulk_create(
                [link for object_links in by_object.values() for link in object_links], batch_size=1000
            )
        tables = [model._meta.db_table for model in [*rows, *(through for through, _source in links)]]
        self.connection.check_constraints(table_names=tables)


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
    from django.core.cache import cache, caches

    cache.clear()
    # the per-process cache (settings.CACHES["local"]) keeps its entries across settings changes: emptied too, so
    # that no test sees what an earlier one cached there (the home page's headlines)
    caches["local"].clear()
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
