from django.db import migrations


def load(apps, schema_editor):
    from jaminanku.registry.regions import load_regions

    load_regions(apps.get_model("registry", "Province"), apps.get_model("registry", "Regency"),
                 apps.get_model("registry", "District"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
