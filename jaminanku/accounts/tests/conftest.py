"""Fixtures for the accounts tests: a registered worker without an account, one with an account, and a helper
that walks the sign-up through the services reading each code from the outbox, as a member would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jaminanku.accounts.tests.helpers import Worker, make_worker


@dataclass
class Registered:
    worker: Worker
    email: str
    phone: str
    password: str


@pytest.fixture
def worker(db) -> Worker:
    """Siti Rahayu, PU member with KPJ 12345678901, no account yet."""
    return make_worker(full_name="Siti Rahayu", date_of_birth=date(1992, 3, 14), sex="F", kpj="12345678901")


@pytest.fixture
def registered(db) -> Registered:
    """Budi Santoso, who signed up years ago as budi@gmail.com / +6281234567890."""
    from jaminanku.accounts.services import create_account_for_demo

    worker = make_worker(full_name="Budi Santoso", date_of_birth=date(1985, 8, 17), sex="M", kpj="22345678901")
    create_account_for_demo(
        person=worker.person, email="budi@gmail.com", phone="+6281234567890", password="Lama-sekali-2019"
    )
    return Registered(worker, "budi@gmail.com", "+6281234567890", "Lama-sekali-2019")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("petugas", "petugas@example.com", "a-long-password-1")


@pytest.fixture
def django_app_client():
    """Makes a second, independent browser (its own cookies)."""
    from django.test import Client

    return Client
