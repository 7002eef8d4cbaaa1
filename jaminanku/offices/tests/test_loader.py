"""The derived office list: a branch in every province, real time zones, coordinates marked approximate."""

import pytest

from jaminanku.offices.models import Office
from jaminanku.offices.services import load_offices
from jaminanku.registry.models import Province

pytestmark = pytest.mark.django_db


def test_every_current_province_has_a_branch_with_coordinates():
    assert load_offices() > 100
    provinces = set(Province.objects.filter(current=True).values_list("code", flat=True))
    with_branch = set(Office.objects.filter(kind="kc").values_list("province_id", flat=True))
    assert provinces == with_branch
    assert not Office.objects.filter(latitude__isnull=True).exists()
    assert not Office.objects.filter(coordinates_approximate=False).exists()


def test_known_cities_sit_in_their_time_zones_and_places():
    load_offices()
    makassar = Office.objects.get(code="KC7371")
    assert makassar.time_zone == "Asia/Makassar" and -5.3 < makassar.latitude < -5.0
    assert Office.objects.get(code="KC9401").time_zone == "Asia/Jayapura"  # Nabire
    assert Office.objects.get(code="KC3273").time_zone == "Asia/Jakarta"  # Bandung
    assert Office.objects.get(code="KW3578").kind == "kanwil"  # Surabaya regional office


def test_loading_twice_keeps_staff_edits():
    load_offices()
    Office.objects.filter(code="KC3273").update(address="Jl. Soekarno-Hatta No. 1")
    assert load_offices() == 0
    assert Office.objects.get(code="KC3273").address == "Jl. Soekarno-Hatta No. 1"
