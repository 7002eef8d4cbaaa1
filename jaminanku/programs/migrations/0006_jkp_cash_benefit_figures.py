"""The JKP cash benefit as benefit figures (PP 6/2025, from 7 February 2025: 60 % of the last reported wage for up
to 6 months, FACTS.md §5.4), for the JKP calculator and page. The wage it is taken from is capped by the JKP wage
cap row (PP 37/2021's Rp5,000,000 ceiling, RULES.md). PP 37/2021's earlier 45 %/25 % split is not loaded: the
calculator answers for today."""

from datetime import date

from django.db import migrations, models

PP6 = "PP 6/2025 (from 7 Feb 2025); kaltenglima 2025; statusternate 2025-02-15; sumbar.suara 2025-02-16 (FACTS.md §5.4)"
FIGURES = [
    ("jkp_cash_percent", date(2025, 2, 7), 60, f"{PP6}: 60 % of the last reported wage"),
    ("jkp_cash_months", date(2025, 2, 7), 6, f"{PP6}: up to 6 months"),
]


def load(apps, schema_editor):
    figure = apps.get_model("programs", "BenefitFigure")
    for name, start, amount, source in FIGURES:
        figure.objects.get_or_create(name=name, effective_from=start, defaults={"amount": amount, "source": source})


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_program_leads_without_figures'),
    ]

    operations = [
        migrations.AlterField(
            model_name='benefitfigure',
            name='name',
            field=models.CharField(choices=[('jp_min_monthly', 'JP: manfaat pensiun bulanan minimum'), ('jp_max_monthly', 'JP: manfaat pensiun bulanan maksimum'), ('jkm_lump_sum', 'JKM: santunan sekaligus'), ('jkm_periodic', 'JKM: santunan berkala (24 bulan, dibayar sekaligus)'), ('jkm_funeral', 'JKM: biaya pemakaman'), ('jkm_scholarship_max', 'JKM/JKK: beasiswa maksimum untuk 2 anak'), ('jkk_death_wage_months', 'JKK: santunan kematian (kali upah)'), ('jkk_disability_wage_months', 'JKK: cacat total tetap (kali upah)'), ('jkp_cash_percent', 'JKP: uang tunai sebulan (persen upah)'), ('jkp_cash_months', 'JKP: lama uang tunai (bulan)')], max_length=40, verbose_name='besaran'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
