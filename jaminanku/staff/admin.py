from django.contrib import admin

from jaminanku.audit.admin import AuditedAdminMixin
from jaminanku.staff.models import StaffPost


@admin.register(StaffPost)
class StaffPostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "office"]
    raw_id_fields = ["user", "office"]
