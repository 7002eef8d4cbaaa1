"""Writes of news articles outside the admin (the demo seeder, imports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jaminanku.audit.services import record_event, snapshot
from jaminanku.news.models import Article


@transaction.atomic
def create_article(
    *,
    title: str,
    slug: str,
    summary: str,
    body: str,
    language: str = Article.Language.ID,
    region_id: str | None = None,
    published: bool = True,
    publish_at: datetime | None = None,
    author: Any = None,
) -> Article:
    article = Article(
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        language=language,
        region_id=region_id,
        published=published,
        publish_at=publish_at or timezone.now(),
        created_by=author if getattr(author, "pk", None) else None,
    )
    article.full_clean()
    article.save()
    record_event("add", instance=article, after=snapshot(article), actor=author)
    return article
