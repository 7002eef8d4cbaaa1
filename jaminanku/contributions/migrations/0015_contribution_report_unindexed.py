"""The contributions' report key loses its index (the model's comment says why). Only the index is dropped: Django's
own AlterField would also drop the foreign key and add it again, which checks every contribution against the
reports (the whole ledger read under a lock that stops posting). On PostgreSQL dropping the partitioned table's
index drops each attached partition's too; a detached (archived) year keeps its own until it is dropped."""

import django.db.models.deletion
from django.db import migrations, models

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
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "contributions_contribution" ("report_id")',
                ),
            ],
        ),
    ]
