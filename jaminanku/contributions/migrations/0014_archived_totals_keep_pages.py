"""The archived years' sums keep their table's pages when VACUUM empties it (PostgreSQL): the planner takes a table
of no pages for empty, and a member's prepared per-year statement then reads it by a sequential scan, through every
sum a detach is writing (`contributions.archive.keep_totals_table_probed`)."""

from typing import Any

from django.db import migrations

TABLE = "contributions_archivedyeartotal"


def keep_pages(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (vacuum_truncate = false)")


def let_go(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (vacuum_truncate)")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0013_archived_year_totals")]

    operations = [migrations.RunPython(keep_pages, let_go)]
