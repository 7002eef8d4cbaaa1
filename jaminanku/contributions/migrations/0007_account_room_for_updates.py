"""Half of each page of the JHT accounts table left free, on PostgreSQL only: every posting month updates every
paying member's account, and an update can stay on its page (a HOT update, no new index entries, the old version
pruned in place) only where the page has room. Packed full, 73 % of the updates in a 10,000-person seeding moved
the row to another page and added an entry to each of the table's three indexes, and the table grew to 56 MB for
16,623 accounts; with the room, 98 % stay on their page and the table is 3.7 MB (bench/README.md). SQLite has no
such setting and rewrites its pages anyway. On a database that already holds accounts, pages written from now on
get the room; the existing ones get it when the table is rewritten (VACUUM FULL, at a quiet hour)."""

from django.db import migrations

FILLFACTOR = 50


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("contributions", "Account")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def pack(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("contributions", "Account")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_reversal_unique_where_set")]

    operations = [migrations.RunPython(leave_room, pack)]
