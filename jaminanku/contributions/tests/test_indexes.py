"""How the ledger is stored, where that decides the cost of a posting at scale.

The once-a-month guards are indexed by period first, so that a month's posting writes to one end of
them (keyed by member first, at 1,000,000 persons every posted row read a random page of a 3 GB index;
bench/README.md) and a month's contributions can be found without reading the whole table."""

import pytest
from django.db import connection

from jaminanku.contributions.models import Account, Contribution, JhtEntry, WageReport

pytestmark = pytest.mark.django_db


def _constraints(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _index_columns(name: str) -> list[str]:
    return _constraints(Contribution._meta.db_table)[name]["columns"]


def test_the_guards_in_the_database_lead_with_the_period():
    assert _index_columns("contribution_once_per_employer_month") == ["period", "employer_id", "membership_id"]
    assert _index_columns("self_payment_once_per_month") == ["period", "membership_id"]


def test_only_reversals_are_indexed_by_what_they_reverse():
    """Every entry but a reversal has no `reverses`; a one-to-one field indexed that NULL for each of them."""
    indexes = {
        name: spec
        for name, spec in _constraints(JhtEntry._meta.db_table).items()
        if spec["columns"][:1] == ["reverses_id"] and (spec["index"] or spec["unique"])
    }
    assert list(indexes) == ["jht_entry_reversed_once"]
    # on PostgreSQL the partition key completes it (contributions.partitions)
    partitioned = ["value_date"] if connection.vendor == "postgresql" else []
    assert indexes["jht_entry_reversed_once"]["columns"] == ["reverses_id", *partitioned]
    assert indexes["jht_entry_reversed_once"]["unique"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = %s"
            if connection.vendor == "sqlite"
            else "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["jht_entry_reversed_once"],
        )
        (definition,) = cursor.fetchone()
    assert "WHERE" in definition and "NOT NULL" in definition


@pytest.mark.postgres_only
@pytest.mark.parametrize("model", [Account, WageReport])
def test_tables_updated_right_after_each_insert_leave_room_on_each_page(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [model._meta.db_table])
        (options,) = cursor.fetchone()
    assert options == ["fillfactor=50"]


def test_wage_reports_are_indexed_by_employer_once():
    """The (employer, period) index serves every look-up by employer; a second index on the employer alone would
    only cost each insert and each moved update."""
    by_employer = [
        name
        for name, spec in _constraints(WageReport._meta.db_table).items()
        if spec["columns"][:1] == ["employer_id"] and spec["index"]
    ]
    assert by_employer == ["wage_report_employer_period"]


@pytest.mark.parametrize(
    ("model", "column", "referenced"),
    [
        (Contribution, "report_id", "contributions_wagereport"),  # migration 0015: a tenth of each month's posting
        (JhtEntry, "crediting_run_id", "contributions_creditingrun"),  # 0016: a twentieth of a year's crediting
    ],
)
def test_ledger_keys_nothing_reads_by_are_not_indexed_but_still_refer(model, column, referenced):
    """Nothing reads contributions by report or entries by crediting run, and each index cost the bulk job that
    writes the rows (bench/README.md); the foreign key stays."""
    table = model._meta.db_table
    constraints = _constraints(table)
    assert not [name for name, spec in constraints.items() if spec["columns"][:1] == [column] and spec["index"]]
    assert [spec["foreign_key"] for spec in constraints.values() if spec["columns"] == [column]] == [(referenced, "id")]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # nor is any attached year
            cursor.execute(
                """SELECT count(*) FROM pg_inherits h JOIN pg_index i ON i.indrelid = h.inhrelid
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                   WHERE h.inhparent = %s::regclass AND a.attname = %s""",
                [table, column],
            )
            assert cursor.fetchone() == (0,)
