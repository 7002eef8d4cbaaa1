"""Migrations offices 0006 and registry 0003 (an employer's branch moves from registry.Employer.branch_office to
offices.EmployerBranch): on a database with employers, each keeps its branch going forward, and going back puts
the field as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reload_reference_data"),
]

BEFORE = [("offices", "0005_place_offices_on_region_points")]


def _migrate(target):
    """Migrates to `target` and gives the models as they are there; with None, to the latest of every app."""
    executor = MigrationExecutor(connection)
    target = target or executor.loader.graph.leaf_nodes()
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


def test_each_employer_keeps_its_branch_across_the_move_and_back():
    old = _migrate(BEFORE)
    office = old.get_model("offices", "Office").objects.create(code="KC9901", name="KC Uji", province_id="32")
    Employer = old.get_model("registry", "Employer")
    served = Employer.objects.create(npp="99000001", name="PT Dilayani", risk_class=1, branch_office=office)
    Employer.objects.create(npp="99000002", name="PT Tanpa Cabang", risk_class=1)

    new = _migrate(None)
    branches = new.get_model("offices", "EmployerBranch").objects.values_list("employer__npp", "office__code")
    assert list(branches) == [("99000001", "KC9901")]
    assert "branch_office" not in {f.name for f in new.get_model("registry", "Employer")._meta.get_fields()}

    old = _migrate(BEFORE)
    back = old.get_model("registry", "Employer").objects.order_by("npp").values_list("npp", "branch_office_id")
    assert list(back) == [("99000001", office.pk), ("99000002", None)]
    assert served.pk == old.get_model("registry", "Employer").objects.get(npp="99000001").pk
    _migrate(None)
