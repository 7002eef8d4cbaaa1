from django.contrib import admin

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.offices.models import EmployerBranch, Office


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "time_zone"]
    list_filter = ["kind", "time_zone", "province"]
    search_fields = ["code", "name"]


@admin.register(EmployerBranch)
class EmployerBranchAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Which branch looks after which employer (until issue 26 a field of the employer's own form)."""

    list_display = ["employer", "office"]
    list_filter = ["office__province"]
    search_fields = ["=employer__npp", "employer__name"]
    raw_id_fields = ["employer", "office"]
    list_select_related = ["employer", "office"]
    show_full_result_count = False
