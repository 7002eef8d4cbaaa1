from datetime import date

from django.db import migrations

FIGURES = [
    ("jp_min_monthly", date(2015, 7, 1), 300_000, "PP 45/2015 art. 18", False),
    ("jp_max_monthly", date(2015, 7, 1), 3_600_000, "PP 45/2015 art. 18", False),
    ("jp_min_monthly", date(2023, 1, 1), 383_400, "suaraindonesia.co.id 2024 ('previously')", False),
    ("jp_max_monthly", date(2023, 1, 1), 4_598_100, "suaraindonesia.co.id 2024 ('previously')", False),
    ("jp_min_monthly", date(2024, 3, 1), 393_500, "suaraindonesia.co.id 2024; wmhg.org 2025", False),
    ("jp_max_monthly", date(2024, 3, 1), 4_718_200, "suaraindonesia.co.id 2024; wmhg.org 2025", False),
    ("jp_min_monthly", date(2025, 3, 1), 399_700, "derived: 393,500 x 1.0157 (2024 inflation 1.57%); verify", True),
    ("jp_max_monthly", date(2025, 3, 1), 4_792_300, "derived: 4,718,200 x 1.0157; verify", True),
    ("jkm_lump_sum", date(2019, 12, 2), 20_000_000, "PP 82/2019; portalbrebes 2022; liputan6 2023", False),
    ("jkm_periodic", date(2019, 12, 2), 12_000_000, "PP 82/2019: 24 x Rp500,000 paid at once", False),
    ("jkm_funeral", date(2019, 12, 2), 10_000_000, "PP 82/2019", False),
    ("jkm_scholarship_max", date(2019, 12, 2), 174_000_000, "PP 82/2019; idxchannel 2021", False),
    ("jkk_death_wage_months", date(2019, 12, 2), 48, "PP 82/2019 annex III", False),
    ("jkk_disability_wage_months", date(2019, 12, 2), 56, "PP 82/2019 annex III", False),
]


def load(apps, schema_editor):
    figure = apps.get_model("programs", "BenefitFigure")
    for name, start, amount, source, derived in FIGURES:
        figure.objects.get_or_create(
            name=name, effective_from=start, defaults={"amount": amount, "source": source, "derived": derived}
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
