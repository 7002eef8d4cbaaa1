"""The contributions' report key loses its index (the model's comment says why). Only the index is dropped: Django's
own AlterField would also drop the foreign key and add it again, which checks every contribution against the
reports (the whole ledger read under a lock that stops posting). On PostgreSQL dropping the partitioned table's
index drops each attached partition's too; a detached (archived) year keeps its own until it is dropped. The
ledger's lock is taken in short tries (`core.table_locks`), so that a migration waiting for a month's posting to
commit does not hold every member's read of the ledger behind it."""

import django.db.models.deletion
from django.db import migrations, models

from jaminanku.core.table_locks import index_dropped_in_tries

TABLE = "contributions_contribution"
INDEX = "contributions_contribution_report_id_bb4d760b"


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0014_archived_totals_keep_pages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contribution",
                    name="report",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contributions",
                        to="contributions.wagereport",
                        verbose_name="laporan",
                    ),
                ),
            ],
            database_operations=[index_dropped_in_tries(TABLE, INDEX, '("report_id")')],
        ),
    ]
