"""factory_boy factory for news articles: published an hour ago, national, in Indonesian, unless told otherwise."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from jaminanku.news.models import Article


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Berita nomor {n}")
    slug = factory.Sequence(lambda n: f"berita-nomor-{n}")
    summary = "Ringkasan singkat berita."
    body = "<p>Isi berita.</p>"
    language = "id"
    region = None
    published = True
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
