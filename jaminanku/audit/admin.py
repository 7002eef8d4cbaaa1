"""Back office for the audit log (read-only)."""

from django.contrib import admin

from jaminanku.audit.admin_mixins import ReadOnlyAdminMixin
from jaminanku.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "object_repr"]
    date_hierarchy = "at"
