"""A contribution is still reversed at most once, but the unique index that says so holds only the entries that
reverse a contribution: as a one-to-one field it held a NULL key for every development and claim entry, one more
index insert per account in every yearly crediting (and a NULL key per development entry for ever), never read.
Like `jht_entry_reversed_once` (migration 0006).

On PostgreSQL the ledger is partitioned (migration 0011), where Django's own operations cannot find the unique
constraint (it carries the partition key, `value_date`), so the index is swapped in SQL: on the partitioned table
it is made on every partition at once. Elsewhere (SQLite) Django's operations do it."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from jaminanku.contributions import partitions

TABLE = "contributions_jhtentry"
OLD = "contributions_jhtentry_contribution_id_key"  # PostgreSQL's name for the one-to-one field's unique
NEW = "jht_entry_contribution_reversed_once"


def _columns(cursor: Any) -> str:
    return "contribution_id, value_date" if partitions.is_partitioned(cursor, TABLE) else "contribution_id"


def _forwards_postgresql(cursor: Any) -> None:
    columns = _columns(cursor)
    cursor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {OLD}")
    cursor.execute(f"CREATE UNIQUE INDEX {NEW} ON {TABLE} ({columns}) WHERE contribution_id IS NOT NULL")


def _backwards_postgresql(cursor: Any) -> None:
    columns = _columns(cursor)
    cursor.execute(f"DROP INDEX {NEW}")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {OLD} UNIQUE ({columns})")


class StateEverywhereSqlOnPostgresql(migrations.SeparateDatabaseAndState):
    """The state operations change the schema on every database but PostgreSQL, where the SQL above does."""

    def _elsewhere(self) -> migrations.SeparateDatabaseAndState:
        return migrations.SeparateDatabaseAndState(database_operations=self.state_operations)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            self._elsewhere().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        with schema_editor.connection.cursor() as cursor:
            # Key checks pending from earlier operations of this run would block the ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _forwards_postgresql(cursor)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            self._elsewhere().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _backwards_postgresql(cursor)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0011_partitioned_ledger")]

    operations = [
        StateEverywhereSqlOnPostgresql(
            state_operations=[
                migrations.AlterField(
                    model_name="jhtentry",
                    name="contribution",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="jht_entry",
                        to="contributions.contribution",
                        verbose_name="iuran",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="jhtentry",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("contribution__isnull", False)),
                        fields=("contribution",),
                        name=NEW,
                    ),
                ),
            ]
        )
    ]
