"""The branch that looks after an employer moves from registry.Employer.branch_office to offices.EmployerBranch, so
that the registry depends on no other app (docs/architecture.md); each employer's branch is copied over here, and
registry's next migration drops the old column."""

import django.db.models.deletion
from django.db import migrations, models


def copy_branches(apps, schema_editor):
    Employer = apps.get_model("registry", "Employer")
    EmployerBranch = apps.get_model("offices", "EmployerBranch")
    rows = Employer.objects.filter(branch_office__isnull=False).values_list("id", "branch_office_id")
    EmployerBranch.objects.bulk_create(
        (EmployerBranch(employer_id=employer, office_id=office) for employer, office in list(rows)),
        batch_size=5000,
    )


def copy_branches_back(apps, schema_editor):
    Employer = apps.get_model("registry", "Employer")
    EmployerBranch = apps.get_model("offices", "EmployerBranch")
    for employer, office in EmployerBranch.objects.values_list("employer_id", "office_id").iterator():
        Employer.objects.filter(id=employer).update(branch_office_id=office)


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0005_place_offices_on_region_points"),
        ("registry", "0002_load_regions"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmployerBranch",
            fields=[
                (
                    "employer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="branch",
                        serialize=False,
                        to="registry.employer",
                        verbose_name="pemberi kerja",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employers",
                        to="offices.office",
                        verbose_name="kantor cabang pembina",
                    ),
                ),
            ],
            options={
                "verbose_name": "kantor cabang pembina",
                "verbose_name_plural": "kantor cabang pembina",
            },
        ),
        migrations.RunPython(copy_branches, copy_branches_back),
    ]
