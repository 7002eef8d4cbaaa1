"""The feed is well-formed Atom (RFC 4287): feed and entries carry the required id, title, updated and link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}


def _feed(client, **cookies):
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get("/berita/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)  # raises on anything not well-formed


def _one(element, path):
    found = element.findall(path, NS)
    assert len(found) == 1, path
    return found[0]


def test_feed_is_valid_atom_with_the_required_elements(client):
    ArticleFactory(slug="pertama", title="Pertama", region_id="32")
    ArticleFactory(slug="kedua", title="Kedua & <lain>", publish_at=timezone.now() - timedelta(days=2))
    ArticleFactory(slug="nanti", publish_at=timezone.now() + timedelta(days=1))
    ArticleFactory(slug="english", language="en")

    root = _feed(client)
    assert root.tag == f"{{{ATOM}}}feed"
    assert _one(root, "a:id").text
    assert _one(root, "a:title").text == "Berita JaminanKu"
    assert _one(root, "a:updated").text
    assert root.find("a:link[@rel='alternate']", NS).get("href").endswith("/berita/")

    entries = root.findall("a:entry", NS)
    assert [e.find("a:title", NS).text for e in entries] == ["Pertama", "Kedua & <lain>"]
    ids = set()
    for entry in entries:
        ids.add(_one(entry, "a:id").text)
        assert _one(entry, "a:updated").text
        assert _one(entry, "a:published").text
        link = entry.find("a:link", NS)
        assert link is not None and link.get("href").startswith("http://testserver/berita/")
        assert _one(entry, "a:summary").text
    assert len(ids) == 2 and all(i.startswith("tag:") for i in ids)


def test_feed_follows_the_readers_language(client):
    ArticleFactory(slug="indonesia")
    ArticleFactory(slug="english", language="en", title="English news")
    root = _feed(client, django_language="en")
    assert [e.find("a:title", NS).text for e in root.findall("a:entry", NS)] == ["English news"]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_empty_feed_is_still_valid(client):
    root = _feed(client)
    assert _one(root, "a:id").text and _one(root, "a:updated").text and _one(root, "a:title").text
    assert root.findall("a:entry", NS) == []
