"""Back office for staff posts."""

from __future__ import annotations

from django.contrib import admin

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.staff.models import StaffPost


@admin.register(StaffPost)
class StaffPostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "office"]
    raw_id_fields = ["user", "office"]
