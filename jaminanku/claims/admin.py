from django.contrib import admin

from jaminanku.audit.admin_mixins import ReadOnlyAdminMixin
from jaminanku.claims.models import JhtClaim


@admin.register(JhtClaim)
class JhtClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["membership", "kind", "gross", "tax", "paid_on"]
    list_filter = ["kind"]
    search_fields = ["=membership__kpj", "=person__nik"]
