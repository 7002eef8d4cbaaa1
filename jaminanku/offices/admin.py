from django.contrib import admin

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.offices.models import Office


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "time_zone"]
    list_filter = ["kind", "time_zone", "province"]
    search_fields = ["code", "name"]
