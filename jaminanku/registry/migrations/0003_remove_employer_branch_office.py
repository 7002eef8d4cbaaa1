"""Drops Employer.branch_office: offices.EmployerBranch holds each employer's branch now (offices 0006 copied it),
so the registry depends on no other app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_load_regions"),
        ("offices", "0006_employerbranch"),
    ]

    operations = [
        migrations.RemoveField(model_name="employer", name="branch_office"),
    ]
