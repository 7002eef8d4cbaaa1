"""/kantor/ lists every office by province before anyone shares a location or types, and a typed province name
("Jawa Barat", "DKI Jakarta", "Kalimantan") lists that province's offices; the API gives the same lists."""

import pytest

from jaminanku.offices.models import Office
from jaminanku.offices.services import load_offices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def offices():
    load_offices()


def test_the_page_lists_every_office_by_province_with_nothing_asked(client):
    response = client.get("/kantor/")
    html = response.content.decode()
    assert response.status_code == 200
    for province, office in [
        ("Jawa Barat", "Kantor Cabang Bandung"),
        ("Sulawesi Selatan", "Kantor Wilayah Makassar"),
        ("Papua Pegunungan", "Kantor Cabang Wamena"),
    ]:
        assert f"<summary>{province} (" in html and office in html
    assert html.count('<details class="province"') == Office.objects.values("province").distinct().count()
    assert html.index("<summary>Aceh (") < html.index("<summary>Bali (")  # provinces by name
    assert "WIT" in html and "Petunjuk arah" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/kantor/"})
    english = client.get("/kantor/").content.decode()
    assert "Offices by province" in english and "<summary>Gorontalo (1 office)</summary>" in english


def test_typing_a_province_lists_its_offices(client):
    html = client.get("/kantor/", {"kota": "jawa barat"}).content.decode()
    assert "<summary>Jawa Barat (" in html
    assert "Kantor Cabang Bandung" in html and "Kantor Cabang Banjar" in html and "Kantor Cabang Bogor" in html
    assert "Kantor Cabang Makassar" not in html and "tidak ditemukan" not in html
    # "Yogyakarta" is both Kota Yogyakarta and part of a province's name: a city is found as a city
    html = client.get("/kantor/", {"kota": "Yogyakarta"}).content.decode()
    assert "Kantor Cabang Yogyakarta</strong> — 0,0 km" in html and '<details class="province"' not in html


@pytest.mark.parametrize(
    ("typed", "provinces"),
    [
        ("Provinsi Jawa Barat", ["Jawa Barat"]),
        ("DKI Jakarta", ["Daerah Khusus Ibukota Jakarta"]),
        ("Jakarta", ["Daerah Khusus Ibukota Jakarta"]),
        ("DIY", ["Daerah Istimewa Yogyakarta"]),
        ("Kalimantan", ["Kalimantan Barat", "Kalimantan Selatan", "Kalimantan Tengah", "Kalimantan Timur"]),
    ],
)
def test_short_and_partial_province_names_work(client, typed, provinces):
    html = client.get("/kantor/", {"kota": typed}).content.decode()
    for name in provinces:
        assert f"<summary>{name} (" in html
    assert "tidak ditemukan" not in html


def test_api_lists_offices_by_province(client):
    everything = client.get("/api/v1/offices/by-province").json()
    assert sum(len(p["offices"]) for p in everything) == Office.objects.count()
    west_java = client.get("/api/v1/offices/by-province", {"q": "Jawa Barat"}).json()
    assert [p["code"] for p in west_java] == ["32"]
    assert {"KW3273", "KC3273", "KC3279"} <= {o["code"] for o in west_java[0]["offices"]}
    missing = client.get("/api/v1/offices/by-province", {"q": "Atlantis"})
    assert missing.status_code == 404 and missing.json()["code"] == "province_not_found"


def test_api_nearest_takes_a_province_name(client):
    nearest = client.get("/api/v1/offices/nearest", {"q": "Papua Pegunungan", "limit": 1})
    assert nearest.status_code == 200 and nearest.json()[0]["code"] == "KC9501"  # Wamena
