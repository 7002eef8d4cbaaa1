"""A database that cannot be reached answers 503 with Retry-After, on the API (JSON) and on pages, whether the error
comes from a view or from a middleware before it (the session); any other error stays a 500. On both databases,
without a cluster of its own: the failover test (test_failover.py) shows the same during a real promotion."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client

from jaminanku.bookings import selectors


@pytest.fixture
def raising_client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError("connection failed: session is read-only"), InterfaceError()])
def test_an_api_read_without_a_database_is_a_503_to_retry(raising_client, monkeypatch, error):
    def unreachable():
        raise error

    monkeypatch.setattr(selectors, "provinces_with_branches", unreachable)
    response = raising_client.get("/api/v1/bookings/provinces")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"


@pytest.mark.django_db
def test_a_page_whose_session_cannot_be_loaded_is_a_503_too(raising_client, monkeypatch):
    def unreachable(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    raising_client.cookies["sessionid"] = "x" * 32
    response = raising_client.get("/berita/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "coba lagi" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_stay_a_500(raising_client, monkeypatch):
    def broken():
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "provinces_with_branches", broken)
    response = raising_client.get("/api/v1/bookings/provinces")
    assert response.status_code == 500 and "Retry-After" not in response
