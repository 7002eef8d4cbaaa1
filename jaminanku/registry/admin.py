"""Back office for the registry: searchable by NIK, KPJ, NPP and name; every write audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, ViewAuditedAdminMixin
from jaminanku.registry.models import District, Employer, Employment, Membership, Person, Province, Regency


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["kpj", "segment", "registered_on", "jht_opted"]
    show_change_link = True


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    fields = ["employer", "start", "end", "end_reason"]
    raw_id_fields = ["employer"]


@admin.register(Person)
class PersonAdmin(ViewAuditedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["nik", "full_name", "date_of_birth", "sex", "nik_flagged"]
    list_filter = ["sex", "nik_flagged"]
    search_fields = ["=nik", "full_name", "=memberships__kpj"]
    readonly_fields = ["nik_flagged", "created_at"]
    raw_id_fields = ["district"]
    inlines = [MembershipInline]
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(ViewAuditedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["kpj", "person", "segment", "registered_on"]
    list_filter = ["segment"]
    search_fields = ["=kpj", "=person__nik", "person__full_name"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]
    inlines = [EmploymentInline]
    show_full_result_count = False


@admin.register(Employer)
class EmployerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["npp", "name", "risk_class", "regency", "branch__office"]
    list_filter = ["risk_class"]
    search_fields = ["=npp", "name"]
    raw_id_fields = ["regency"]
    show_full_result_count = False


@admin.register(Employment)
class EmploymentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["membership", "employer", "start", "end", "end_reason"]
    list_filter = ["end_reason"]
    search_fields = ["=membership__kpj", "=membership__person__nik", "=employer__npp", "employer__name"]
    raw_id_fields = ["membership", "employer"]
    list_select_related = ["membership", "employer"]
    show_full_result_count = False


class RegionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "current"]
    list_filter = ["current"]
    search_fields = ["=code", "name"]


admin.site.register(Province, RegionAdmin)
admin.site.register(Regency, RegionAdmin)
admin.site.register(District, RegionAdmin)
admin.site.site_header = _("JaminanKu — Back office")
admin.site.site_title = _("JaminanKu")
admin.site.index_title = _("Administrasi")
