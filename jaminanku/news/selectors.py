"""Reads of news articles. The public sees an article only when it is published and its publish time has come."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from jaminanku.news.models import Article
from jaminanku.registry.models import Province

NATIONAL = "nasional"  # region filter value for articles without a province


def visible_articles(*, now: datetime | None = None) -> QuerySet[Article]:
    return Article.objects.filter(published=True, publish_at__lte=now or timezone.now()).select_related("region")


def latest_headlines(*, language: str, limit: int = 3) -> list[Article]:
    """The newest public articles in one language, for the home page."""
    return list(visible_articles().filter(language=language)[: max(0, limit)])


def article_list(*, language: str | None = None, region: str | None = None) -> QuerySet[Article]:
    """Public articles, newest first. `region` is a province code, `NATIONAL` for national news, or empty for all."""
    articles = visible_articles()
    if language:
        articles = articles.filter(language=language)
    if region == NATIONAL:
        articles = articles.filter(region__isnull=True)
    elif region:
        # PostgreSQL refuses NUL in a query; no province code has one
        articles = articles.filter(region_id=region) if "\x00" not in region else articles.none()
    return articles


def visible_article(*, slug: str) -> Article | None:
    if "\x00" in slug:  # PostgreSQL refuses NUL in a query; no slug has one
        return None
    return visible_articles().filter(slug=slug).first()


def article_for_preview(*, pk: int) -> Article | None:
    """Any article, published or not: for staff checking a draft or a scheduled article."""
    return Article.objects.select_related("region").filter(pk=pk).first()


def region_choices() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name").values_list("code", "name"))
