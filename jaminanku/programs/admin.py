from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.programs.models import BenefitFigure, ProgramText


@admin.register(BenefitFigure)
class BenefitFigureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "effective_from", "amount", "derived"]
    list_filter = ["name", "derived"]


@admin.register(ProgramText)
class ProgramTextAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Add-only: every save is a new version; the newest per program and language is shown to members."""

    list_display = ["program", "language", "title", "created_at", "created_by"]
    list_filter = ["program", "language"]
    readonly_fields = ["created_at", "created_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
