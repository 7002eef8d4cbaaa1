"""Back office for news: staff write, preview, schedule (publish time) and publish articles; every save is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.news.models import Article


@admin.register(Article)
class ArticleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "language", "region", "published", "publish_at", "status", "preview_link"]
    list_filter = ["published", "language", "region"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"
    readonly_fields = ["created_at", "updated_at", "created_by"]
    fields = [
        "title",
        "slug",
        "summary",
        "body",
        "region",
        "language",
        "published",
        "publish_at",
        "created_at",
        "updated_at",
        "created_by",
    ]

    @admin.display(description=_("status"))
    def status(self, obj: Article) -> str:
        if not obj.published:
            return str(_("Draf"))
        if obj.publish_at > timezone.now():
            return str(_("Terjadwal"))
        return str(_("Tayang"))

    @admin.display(description=_("pratinjau"))
    def preview_link(self, obj: Article) -> str:
        return format_html('<a href="{}">{}</a>', reverse("news:preview", args=[obj.pk]), _("Pratinjau"))

    def view_on_site(self, obj: Article) -> str:  # type: ignore[override]
        # Drafts and scheduled articles are not public yet, so "view on site" opens the staff preview.
        return reverse("news:preview", args=[obj.pk])

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
