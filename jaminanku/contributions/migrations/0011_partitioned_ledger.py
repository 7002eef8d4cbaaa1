"""The JHT ledger partitioned by year, on PostgreSQL only (`contributions.partitions`): contributions by period and
JHT entries by value date, one partition per year from 2014 (or the first year with a line) to two years ahead,
and a DEFAULT partition. SQLite and Django's model state are unchanged: Django still sees `id` as each table's
primary key, which on PostgreSQL is (id, period) and (id, value_date).

The conversion copies the rows into the new tables inside this migration's transaction: writes to the ledger and
the claims wait from its start to its commit, reads only for the last moment, when the new tables take the old
ones' names (measured in bench/README.md). Going back copies the rows into plain tables again."""

from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations
from django.utils import timezone

from jaminanku.contributions import partitions

BRIN = {
    "Contribution": BrinIndex(fields=["period"], name="contribution_period_brin", autosummarize=True),
    "JhtEntry": BrinIndex(fields=["value_date"], name="jht_entry_value_date_brin", autosummarize=True),
}


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # Foreign-key checks pending from earlier operations of this run would block the ALTER TABLEs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if not partitions.is_partitioned(cursor, partitions.CONTRIBUTIONS.table):
            partitions.partition_ledger(cursor, timezone.localdate())
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def unpartition(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not partitions.is_partitioned(cursor, partitions.CONTRIBUTIONS.table):
            return
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        partitions.copy_out(cursor)
    for name in ("Contribution", "JhtEntry"):
        model = apps.get_model("contributions", name)
        schema_editor.create_model(model)
        schema_editor.add_index(model, BRIN[name])
    claim = apps.get_model("claims", "JhtClaim")
    # create_model left the keys between tables to the end of the migration; the rows go in first.
    with connection.cursor() as cursor:
        partitions.copy_back(cursor)
    schema_editor.deferred_sql.append(
        schema_editor._create_fk_sql(claim, claim._meta.get_field("entry"), "_fk_%(to_table)s_%(to_column)s")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0010_wage_report_payment_due_and_fine"),
        ("claims", "0002_claim_as_a_case"),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
