"""The ledger's once-a-month guards are indexed by period first, so that a month's posting writes to one end of
them (keyed by member first, at 1,000,000 persons every posted row read a random page of a 3 GB index;
bench/README.md) and a month's contributions can be found without reading the whole table."""

import pytest
from django.db import connection

from jaminanku.contributions.models import Contribution

pytestmark = pytest.mark.django_db


def _index_columns(name: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Contribution._meta.db_table)
    return constraints[name]["columns"]


def test_the_guards_in_the_database_lead_with_the_period():
    assert _index_columns("contribution_once_per_employer_month") == ["period", "employer_id", "membership_id"]
    assert _index_columns("self_payment_once_per_month") == ["period", "membership_id"]
