"""The member app shell: mobile-first page with bottom navigation, installable, Indonesian with an English switch."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_home_has_the_five_bottom_navigation_items_in_indonesian(client):
    html = client.get("/").content.decode()
    nav = re.search(r'<nav class="bottomnav".*?</nav>', html, re.S).group(0)
    assert [label for label in re.findall(r">([^<]+)</a>", nav)] == ["Beranda", "Kartu", "Kantor", "Antrian", "Akun"]
    assert '<html lang="id">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html


def test_english_switch_translates_the_navigation(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html and ">Account</a>" in html


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert data["icons"] and finders.find("icons/icon.svg")


def test_home_page_weighs_under_150_kb_with_its_assets(client):
    html = client.get("/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+)"', html)
    total = len(html) + sum(len(Path(finders.find(a.decode())).read_bytes()) for a in assets)
    assert assets and total < 150 * 1024


def test_api_health_and_openapi_schema(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "JaminanKu API"


def test_indonesian_by_default_even_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html and ">Beranda</a>" in html
