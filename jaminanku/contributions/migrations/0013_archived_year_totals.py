"""The sums an archived year leaves in the live ledger (`contributions.archive`). A year detached before this
migration gets them here from its detached tables, so its balances reconcile at once (PostgreSQL; SQLite's ledger
is never partitioned)."""

from typing import Any

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models


def _sum_years_detached_already(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from jaminanku.contributions import archive, partitions

    with schema_editor.connection.cursor() as cursor:
        for year in partitions.detached_years(cursor):
            archive.record_totals(cursor, year)


class Migration(migrations.Migration):

    dependencies = [
        ('contributions', '0012_contribution_reversal_unique_where_set'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArchivedYearTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('lines', models.PositiveIntegerField(verbose_name='jumlah mutasi')),
                ('employer_amount', models.BigIntegerField(verbose_name='iuran pemberi kerja')),
                ('worker_amount', models.BigIntegerField(verbose_name='iuran pekerja')),
                ('development_amount', models.BigIntegerField(verbose_name='hasil pengembangan')),
                ('claim_amount', models.BigIntegerField(verbose_name='klaim')),
                ('amount', models.BigIntegerField(verbose_name='jumlah')),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='archived_years', to='contributions.account', verbose_name='rekening')),
            ],
            options={
                'verbose_name': 'ringkasan tahun diarsipkan',
                'verbose_name_plural': 'ringkasan tahun diarsipkan',
                'constraints': [models.UniqueConstraint(fields=('account', 'year'), name='archived_year_once_per_account'), models.CheckConstraint(condition=models.Q(('amount', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('employer_amount'), '+', models.F('worker_amount')), '+', models.F('development_amount')), '+', models.F('claim_amount')))), name='archived_year_amount_is_sum')],
            },
        ),
        migrations.RunPython(_sum_years_detached_already, migrations.RunPython.noop),
    ]
