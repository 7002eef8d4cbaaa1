"""The news list and API: newest first, filterable by province (or national only), paginated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional():
    now = timezone.now()
    ArticleFactory(slug="jabar", region_id="32", publish_at=now - timedelta(hours=1))
    ArticleFactory(slug="jatim", region_id="35", publish_at=now - timedelta(hours=2))
    ArticleFactory(slug="nasional", publish_at=now - timedelta(hours=3))


def _slugs_on_page(client, **params):
    html = client.get("/berita/", params).content.decode()
    return [s for s in ("jabar", "jatim", "nasional") if f"/berita/{s}/" in html]


def test_region_filter_on_the_page(client, regional):
    assert _slugs_on_page(client) == ["jabar", "jatim", "nasional"]
    assert _slugs_on_page(client, provinsi="32") == ["jabar"]
    assert _slugs_on_page(client, provinsi="nasional") == ["nasional"]
    assert _slugs_on_page(client, provinsi="99") == []
    html = client.get("/berita/", {"provinsi": "32"}).content.decode()
    assert '<option value="32" selected>' in html


def test_region_filter_in_the_api(client, regional):
    def slugs(**params):
        return [a["slug"] for a in client.get("/api/v1/news/", params).json()["items"]]

    assert slugs() == ["jabar", "jatim", "nasional"]
    assert slugs(region="35") == ["jatim"]
    assert slugs(region="nasional") == ["nasional"]
    item = client.get("/api/v1/news/", {"region": "32"}).json()["items"][0]
    assert item["region"]["code"] == "32" and item["region"]["name"]


def test_page_lists_ten_per_page_newest_first(client):
    now = timezone.now()
    for n in range(23):
        ArticleFactory(slug=f"b-{n:02d}", publish_at=now - timedelta(minutes=n + 1))

    first = client.get("/berita/").content.decode()
    assert "/berita/b-00/" in first and "/berita/b-09/" in first and "/berita/b-10/" not in first
    assert "halaman=2" in first and "Halaman 1 dari 3" in first
    third = client.get("/berita/", {"halaman": 3}).content.decode()
    assert "/berita/b-20/" in third and "/berita/b-22/" in third and "/berita/b-19/" not in third
    # out-of-range or nonsense page numbers show a page, not an error
    assert client.get("/berita/", {"halaman": 99}).status_code == 200
    assert client.get("/berita/", {"halaman": "x"}).status_code == 200


def test_pagination_keeps_the_region_filter(client):
    for n in range(12):
        ArticleFactory(slug=f"jabar-{n}", region_id="32")
    html = client.get("/berita/", {"provinsi": "32"}).content.decode()
    assert "provinsi=32&amp;halaman=2" in html


def test_api_pages(client):
    now = timezone.now()
    for n in range(23):
        ArticleFactory(slug=f"a-{n:02d}", publish_at=now - timedelta(minutes=n + 1))
    first = client.get("/api/v1/news/").json()
    assert first["count"] == 23 and len(first["items"]) == 10 and first["items"][0]["slug"] == "a-00"
    last = client.get("/api/v1/news/", {"page": 3}).json()
    assert [a["slug"] for a in last["items"]] == ["a-20", "a-21", "a-22"]
    small = client.get("/api/v1/news/", {"page": 2, "page_size": 5}).json()
    assert [a["slug"] for a in small["items"]] == [f"a-{n:02d}" for n in range(5, 10)]
    assert client.get("/api/v1/news/", {"page": 0}).status_code == 422


def test_api_detail_shape_and_unknown_slug(client):
    ArticleFactory(slug="satu", title="Satu", region_id="32")
    data = client.get("/api/v1/news/satu").json()
    assert {"slug", "title", "summary", "language", "region", "published_at", "updated_at", "body_html"} <= set(data)
    assert data["title"] == "Satu"
    missing = client.get("/api/v1/news/tidak-ada")
    assert missing.status_code == 404 and missing.json()["code"] == "article_not_found"


def test_dates_are_shown_dd_mm_yyyy(client):
    import datetime as dt

    jakarta = dt.timezone(dt.timedelta(hours=7))
    ArticleFactory(slug="tanggal", publish_at=dt.datetime(2026, 3, 5, 23, 30, tzinfo=dt.UTC))  # 06/03 in Jakarta
    assert dt.datetime(2026, 3, 5, 23, 30, tzinfo=dt.UTC).astimezone(jakarta).day == 6
    assert "06/03/2026" in client.get("/berita/").content.decode()
    assert "06/03/2026" in client.get("/berita/tanggal/").content.decode()
