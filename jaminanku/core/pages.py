"""Free room on a table's pages for updates (PostgreSQL's fillfactor), set by migrations.

Why: a row updated soon after it is written can stay on its page (a HOT update: no new index entries, the old
version pruned in place) only where the page has room; packed full, every such update moves the row to another
page and adds an entry to each of the table's indexes. SQLite has no such setting and rewrites its pages anyway. On
a table that already holds rows, pages written from then on get the room; the existing ones get it when the table
is rewritten (VACUUM FULL, at a quiet hour)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def room_for_updates(app_label: str, model_name: str, fillfactor: int) -> migrations.RunPython:
    """A migration operation leaving `100 - fillfactor` % of each page of the model's table free (PostgreSQL)."""

    def alter(apps: Any, schema_editor: Any, setting: str) -> None:
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model(app_label, model_name)._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} {setting}")

    return migrations.RunPython(
        lambda apps, schema_editor: alter(apps, schema_editor, f"SET (fillfactor = {int(fillfactor)})"),
        lambda apps, schema_editor: alter(apps, schema_editor, "RESET (fillfactor)"),
    )
