"""News endpoints of the JSON API (anonymous): the public article list and one article by slug."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.news import selectors
from jaminanku.news.models import Article

router = Router(tags=["news"])


class RegionOut(Schema):
    code: str
    name: str


class ArticleSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    language: str
    region: RegionOut | None
    published_at: datetime = Field(..., alias="publish_at")
    updated_at: datetime = Field(..., alias="last_modified")


class ArticleOut(ArticleSummaryOut):
    body_html: str = Field(..., description="cleaned HTML: basic formatting, links and images only")


class ListQuery(Schema):
    region: str | None = Field(None, max_length=20, description="province code, or 'nasional' for national news")
    language: str | None = Field(None, pattern="^(id|en)$")


class NewsPages(PageNumberPagination):
    """Page numbers with a ceiling: an offset past what the database's integers hold failed with a 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1)


@router.get("/", response={200: list[ArticleSummaryOut], **errors(422)}, auth=None)
@paginate(NewsPages, page_size=10, max_page_size=50)
def article_list(request: HttpRequest, filters: Query[ListQuery]) -> QuerySet[Article]:
    return selectors.article_list(language=filters.language, region=filters.region)


@router.get("/{slug}", response={200: ArticleOut, **errors(404)}, auth=None)
def article_detail(request: HttpRequest, slug: str) -> Article:
    article = selectors.visible_article(slug=slug)
    if article is None:
        raise NotFound(_("Berita tidak ditemukan."), code="article_not_found")
    return article
