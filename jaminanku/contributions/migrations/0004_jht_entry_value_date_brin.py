"""A BRIN index on JhtEntry.value_date, on PostgreSQL only: yearly crediting reads only the entries dated on or
after 1 January of the year, which sit at the end of the table because entries arrive roughly in date order. A
BRIN index finds them for a few kilobytes of index and next to no cost per insert; SQLite has no BRIN and its
demo-sized ledgers need none."""

from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations

INDEX = BrinIndex(fields=["value_date"], name="jht_entry_value_date_brin", autosummarize=True)


def add_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("contributions", "JhtEntry"), INDEX)


def remove_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("contributions", "JhtEntry"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_fewer_ledger_indexes")]

    operations = [migrations.RunPython(add_brin, remove_brin)]
