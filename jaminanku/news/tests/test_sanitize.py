"""Staff-written bodies cannot carry script to readers: cleaned when saved and again when shown, on the page and in
the API, while basic formatting, links and web images survive."""

import pytest

from jaminanku.news.models import Article
from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "<p>Halo <strong>peserta</strong></p>"
    "<script>alert('xss')</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">klik</a>'
    '<a href="https://www.example.org/info">info</a>'
    '<img src="https://cdn.example.org/foto.jpg" alt="foto">'
    '<img src="/static/icons/icon.svg" alt="ikon">'
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="data">'
    '<p style="background:url(javascript:alert(3))" onclick="alert(4)">gaya</p>'
    '<iframe src="https://evil.example/"></iframe>'
)
DANGEROUS = ["<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "style=", "data:image"]


def _assert_clean(html):
    lowered = html.lower()
    for needle in DANGEROUS:
        assert needle not in lowered, needle


def _assert_formatting_kept(html):
    assert "<strong>peserta</strong>" in html
    assert 'href="https://www.example.org/info"' in html
    assert 'src="https://cdn.example.org/foto.jpg"' in html
    assert 'src="/static/icons/icon.svg"' in html


def test_body_is_cleaned_when_saved():
    article = ArticleFactory(body=PAYLOAD)
    stored = Article.objects.get(pk=article.pk).body
    _assert_clean(stored)
    _assert_formatting_kept(stored)


def test_payload_is_neutralised_on_the_page_and_in_the_api(client):
    article = ArticleFactory(slug="aman", body="<p>x</p>")
    # a row written around the model (raw update) is still cleaned when shown
    Article.objects.filter(pk=article.pk).update(body=PAYLOAD)

    page = client.get("/berita/aman/").content.decode()
    body_part = page.split('class="card article-body">', 1)[1].split("</div>", 1)[0]
    _assert_clean(body_part)
    _assert_formatting_kept(body_part)

    data = client.get("/api/v1/news/aman").json()
    _assert_clean(data["body_html"])
    _assert_formatting_kept(data["body_html"])
    assert "body" not in data  # only the cleaned HTML is served


def test_title_and_summary_are_escaped(client):
    ArticleFactory(slug="judul", title="<script>alert(1)</script>Judul", summary='<img src=x onerror="alert(1)">')
    html = client.get("/berita/").content.decode() + client.get("/berita/judul/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
