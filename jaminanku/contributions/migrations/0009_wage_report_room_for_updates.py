"""Wage reports: half of each page left free (PostgreSQL, `core.pages`), and the employer's own index dropped.

An import inserts each report when its first row comes and updates the report's counts as each chunk commits, so
every report is updated at least once right after it is written. Packed full, 99.9 % of those updates at a
million-person seeding (4.3 million reports) moved the row to another page and added an entry to each of the
table's four indexes: 71 s of the server's time, against 45 s for inserting them. The index on the employer alone
is the leading column of wage_report_employer_period, which serves every look-up it did."""

import django.db.models.deletion
from django.db import migrations, models

from jaminanku.core.pages import room_for_updates


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0008_contributions_are_ledger_lines"),
        ("registry", "0002_load_regions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="wagereport",
            name="employer",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="wage_reports",
                to="registry.employer",
                verbose_name="pemberi kerja",
            ),
        ),
        room_for_updates("contributions", "WageReport", fillfactor=50),
    ]
