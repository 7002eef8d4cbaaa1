"""News pages: the list (filterable by province, paginated), one article, the staff preview and the Atom feed."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jaminanku.news import selectors
from jaminanku.news.models import Article

PAGE_SIZE = 10


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("provinsi", "")[:20]
    articles = selectors.article_list(language=request.LANGUAGE_CODE, region=region)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("halaman"))
    context = {
        "page": page,
        "region": region,
        "regions": selectors.region_choices(),
        "national": selectors.NATIONAL,
        "nav": "home",
    }
    return render(request, "news/list.html", context)


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.visible_article(slug=slug)
    if article is None:
        raise Http404
    return render(request, "news/detail.html", {"article": article, "nav": "home"})


@require_GET
@staff_member_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("news.view_article"):
        raise PermissionDenied
    article = selectors.article_for_preview(pk=pk)
    if article is None:
        raise Http404
    return render(request, "news/detail.html", {"article": article, "preview": True, "nav": "home"})


class ArticleFeed(Feed):
    """The newest public articles in the reader's language, as Atom (RFC 4287)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return request.LANGUAGE_CODE

    def title(self, language: str) -> str:
        return _("Berita JaminanKu")

    def subtitle(self, language: str) -> str:
        return _("Kabar terbaru seputar jaminan sosial ketenagakerjaan")

    def link(self) -> str:
        return reverse("news:list")

    def feed_guid(self, language: str) -> str:
        return f"tag:jaminanku,2026:berita/{language}"

    def items(self, language: str) -> list[Article]:
        return list(selectors.article_list(language=language)[:20])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article) -> Any:
        return item.publish_at

    def item_updateddate(self, item: Article) -> Any:
        return item.last_modified

    def item_guid(self, item: Article) -> str:
        # Stable across edits and title changes: the row, not the slug.
        return f"tag:jaminanku,2026:berita/{item.pk}"

    def item_categories(self, item: Article) -> list[str]:
        return [item.region.name] if item.region else [_("Nasional")]
