"""Nearest office by great-circle distance, and finding a place by a typed city name."""

import pytest

from jaminanku.offices.selectors import find_place, great_circle_km, nearest_offices
from jaminanku.offices.services import load_offices

pytestmark = pytest.mark.django_db


def test_one_degree_of_latitude_is_111_km():
    # 2πR/360 with R = 6371.0088 km = 111.195 km
    assert great_circle_km(0, 106, 1, 106) == pytest.approx(111.195, abs=0.001)


def test_quarter_of_the_equator():
    # πR/2 = 10007.5 km
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(10007.557, abs=0.01)


def test_jakarta_to_bandung_centres_is_about_120_km():
    # Monas (-6.1754, 106.8272) to Gedung Sate (-6.9025, 107.6188): published straight-line ≈ 118–120 km.
    assert 115 < great_circle_km(-6.1754, 106.8272, -6.9025, 107.6188) < 122


def test_nearest_branch_from_a_point_in_bandung_is_bandung():
    load_offices()
    nearest = nearest_offices(latitude=-6.9025, longitude=107.6188, limit=3)
    assert nearest[0].office.code == "KC3273"
    assert nearest[0].distance_km < 5
    assert [n.distance_km for n in nearest] == sorted(n.distance_km for n in nearest)


@pytest.mark.parametrize("typed", ["Bandung", "kota bandung", "KOTA  BANDUNG", "Kota Bandung"])
def test_typed_city_names_tolerate_case_and_kota(typed):
    load_offices()
    place = find_place(typed)
    assert place is not None
    lat, lon = place.point
    assert nearest_offices(latitude=lat, longitude=lon, limit=1)[0].office.code == "KC3273"


def test_a_kabupaten_without_its_own_branch_finds_its_province():
    load_offices()
    place = find_place("Kabupaten Bogor")
    assert place is not None
    lat, lon = place.point
    assert nearest_offices(latitude=lat, longitude=lon, limit=1)[0].office.province_id == "32"


def test_unknown_place_is_none():
    load_offices()
    assert find_place("Atlantis") is None
    assert find_place("") is None
