"""An article is public only once it is published and its publish time has come: the list, the page, the feed,
the API and the home-page headlines all follow the same rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jaminanku.news.selectors import latest_headlines
from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves 'now' for the whole project (selectors, auto_now) to a chosen moment."""
    real_now = timezone.now

    class Clock:
        offset = timedelta(0)

        def advance(self, delta):
            self.offset += delta

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + c.offset)
    return c


def _everywhere(client, slug):
    return {
        "list": slug in client.get("/berita/").content.decode(),
        "detail": client.get(f"/berita/{slug}/").status_code,
        "feed": f"/berita/{slug}/" in client.get("/berita/feed.atom").content.decode(),
        "api_list": slug in [a["slug"] for a in client.get("/api/v1/news/").json()["items"]],
        "api_detail": client.get(f"/api/v1/news/{slug}").status_code,
        "headlines": slug in [a.slug for a in latest_headlines(language="id")],
    }


def test_scheduled_article_appears_only_after_its_publish_time(client, clock):
    ArticleFactory(slug="iuran-baru", publish_at=timezone.now() + timedelta(hours=2))

    assert _everywhere(client, "iuran-baru") == {
        "list": False,
        "detail": 404,
        "feed": False,
        "api_list": False,
        "api_detail": 404,
        "headlines": False,
    }

    clock.advance(timedelta(hours=2, minutes=1))
    assert _everywhere(client, "iuran-baru") == {
        "list": True,
        "detail": 200,
        "feed": True,
        "api_list": True,
        "api_detail": 200,
        "headlines": True,
    }


def test_draft_stays_hidden_even_when_its_time_has_passed(client):
    ArticleFactory(slug="draf-lama", published=False, publish_at=timezone.now() - timedelta(days=3))
    seen = _everywhere(client, "draf-lama")
    assert seen == {k: (404 if k.endswith("detail") else False) for k in seen}


def test_headlines_are_the_newest_public_articles_in_one_language():
    now = timezone.now()
    for days in (1, 2, 3, 4):
        ArticleFactory(slug=f"id-{days}", publish_at=now - timedelta(days=days))
    ArticleFactory(slug="en-0", language="en", publish_at=now - timedelta(minutes=5))
    ArticleFactory(slug="id-future", publish_at=now + timedelta(minutes=5))

    assert [a.slug for a in latest_headlines(language="id")] == ["id-1", "id-2", "id-3"]
    assert [a.slug for a in latest_headlines(language="id", limit=1)] == ["id-1"]
    assert [a.slug for a in latest_headlines(language="en")] == ["en-0"]
