"""`manage.py seed_news` loads the demo articles once, through the service (so they are cleaned and audited)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from jaminanku.audit.models import AuditEvent
from jaminanku.news.demo import DEMO_ARTICLES
from jaminanku.news.models import Article

pytestmark = pytest.mark.django_db


def test_seed_news_loads_the_demo_articles_once(client):
    call_command("seed_news")
    call_command("seed_news")
    assert Article.objects.count() == len(DEMO_ARTICLES)
    assert AuditEvent.objects.filter(object_type="news.Article", action="add").count() == len(DEMO_ARTICLES)
    assert Article.objects.filter(region_id="32").exists()
    assert Article.objects.filter(language="en").exists()
    assert Article.objects.filter(publish_at__gt=timezone.now()).exists()  # one is scheduled
    assert client.get("/berita/").status_code == 200
    assert client.get("/berita/cek-saldo-jht-lewat-jaminanku/").status_code == 200
    assert client.get("/berita/jadwal-pemeliharaan-sistem/").status_code == 404
