"""The suite runs on the database `make test` asked for: SQLite first, then the throwaway PostgreSQL."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_requested_database():
    expected = os.environ.get("JAMINANKU_TEST_DB", "sqlite")
    assert connection.vendor == expected
