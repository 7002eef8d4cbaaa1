"""The JHT entries lose their index on the crediting run (the model's comment says why). On PostgreSQL dropping the
partitioned table's index drops each attached partition's too; a detached (archived) year keeps its own until it is
dropped. The ledger's lock is taken in short tries (`core.table_locks`), as migration 0015 takes it, so that a
migration waiting for a claim's payment or a crediting run to commit does not hold every member's read of the
entries behind it."""

from django.db import migrations

from jaminanku.core.table_locks import index_dropped_in_tries

TABLE = "contributions_jhtentry"
INDEX = "jht_entry_crediting_run"


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0015_contribution_report_unindexed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveIndex(model_name="jhtentry", name=INDEX)],
            database_operations=[
                index_dropped_in_tries(TABLE, INDEX, '("crediting_run_id") WHERE "crediting_run_id" IS NOT NULL')
            ],
        ),
    ]
