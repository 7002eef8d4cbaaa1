"""The nearest-office page and API: by typed city or coordinates; bad input gets a clear message, never a 500."""

import pytest

from jaminanku.offices.services import load_offices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def offices():
    load_offices()


def test_typed_city_lists_offices_with_distances_and_directions(client):
    html = client.get("/kantor/", {"kota": "kota bandung"}).content.decode()
    assert "Kantor Cabang Bandung" in html and " km" in html
    assert "openstreetmap.org/directions" in html
    assert 'id="map"' in html  # the map box; the list stands on its own if tiles fail


def test_coordinates_from_the_phone(client):
    html = client.get("/kantor/", {"lat": "-6.9025", "lon": "107.6188"}).content.decode()
    assert html.index("Kantor Cabang Bandung") < html.index("Kantor Cabang Cimahi")


@pytest.mark.parametrize(
    "params",
    [{"lat": "abc", "lon": "1"}, {"lat": "91", "lon": "0"}, {"lat": "1e309", "lon": "0"}, {"kota": "x" * 5000}],
)
def test_bad_input_is_a_message_not_a_500(client, params):
    response = client.get("/kantor/", params)
    assert response.status_code == 200


def test_unknown_city_is_said_plainly(client):
    assert "tidak ditemukan" in client.get("/kantor/", {"kota": "Atlantis"}).content.decode()


def test_api_nearest_by_coordinates_and_by_name(client):
    data = client.get("/api/v1/offices/nearest", {"lat": -6.9025, "lon": 107.6188, "limit": 3}).json()
    assert len(data) == 3 and data[0]["code"] == "KC3273" and data[0]["distance_km"] < 5
    assert data[0]["coordinates_approximate"] is True
    assert client.get("/api/v1/offices/nearest", {"q": "Kota Makassar", "limit": 1}).json()[0]["code"] == "KC7371"


def test_api_rejects_bad_coordinates_with_json(client):
    response = client.get("/api/v1/offices/nearest", {"lat": 100, "lon": 0})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert client.get("/api/v1/offices/nearest").json()["code"] == "location_required"
