"""Back office for contributions: rate tables editable (every write audited), ledgers read-only, and an upload
page for wage-report files that shows each refused row with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from jaminanku.contributions.files import import_wage_report_file
from jaminanku.contributions.models import (
    Account,
    Contribution,
    ContributionRate,
    CreditingRun,
    DevelopmentRate,
    JhtEntry,
    PensionAge,
    WageCap,
    WageReport,
)
from jaminanku.core.errors import DomainError
from jaminanku.core.money import percent_from_ppm


@admin.display(description=_("tarif"))
def rate_percent(obj: Any) -> str:
    return f"{percent_from_ppm(obj.rate_ppm)} %"


@admin.register(ContributionRate)
class ContributionRateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "segment",
        "program",
        "party",
        "risk_class",
        rate_percent,
        "flat_amount",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["segment", "program", "party"]
    search_fields = ["source"]


@admin.register(WageCap)
class WageCapAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["segment", "program", "kind", "amount", "effective_from"]
    list_filter = ["segment", "program", "kind"]
    search_fields = ["source"]


@admin.register(DevelopmentRate)
class DevelopmentRateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["year", rate_percent, "assumed"]
    list_filter = ["assumed"]
    search_fields = ["=year", "source"]


@admin.register(PensionAge)
class PensionAgeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["effective_from", "age"]


MEMBER_SEARCH = ["=membership__kpj", "=membership__person__nik", "membership__person__full_name"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["membership", "balance", "last_paid_period", "paid_since", "last_employer"]
    search_fields = [*MEMBER_SEARCH, "=last_employer__npp"]
    list_select_related = ["membership", "last_employer"]
    show_full_result_count = False


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "membership",
        "employer",
        "period",
        "wage",
        "jht_employer",
        "jht_worker",
        "employer_due",
        "worker_due",
        "reversed_at",
    ]
    search_fields = [*MEMBER_SEARCH, "=employer__npp", "employer__name"]
    list_select_related = ["membership", "employer"]
    date_hierarchy = "period"
    show_full_result_count = False


@admin.register(JhtEntry)
class JhtEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "kind", "value_date", "amount", "year", "note"]
    list_filter = ["kind"]
    search_fields = [
        "=account__membership__kpj",
        "=account__membership__person__nik",
        "account__membership__person__full_name",
    ]
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(CreditingRun)
class CreditingRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", rate_percent, "started_at", "finished_at", "accounts_credited", "total_credited", "actor"]


class WageReportUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas laporan upah (CSV atau XLSX)"))


@admin.register(WageReport)
class WageReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "npp",
        "employer",
        "period",
        "kind",
        "filename",
        "rows_total",
        "rows_posted",
        "rows_duplicate",
        "rows_rejected",
        "imported_at",
    ]
    list_filter = ["kind"]
    search_fields = ["=npp", "employer__name", "filename"]
    list_select_related = ["employer"]
    date_hierarchy = "period"
    change_list_template = "admin/contributions/wagereport/change_list.html"
    show_full_result_count = False
    exclude = ["errors"]
    readonly_fields = ["row_errors"]

    @admin.display(description=_("kesalahan per baris"))
    def row_errors(self, obj: WageReport) -> str:
        if not obj.errors:
            return "–"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((e["row"], e["kpj"], e["reason"]) for e in obj.errors)
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>KPJ</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Baris"),
            _("Alasan"),
            rows,
        )

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="contributions_wagereport_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("contributions.add_wagereport"):
            raise PermissionDenied
        result = None
        form = WageReportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_wage_report_file(path_or_file=upload, filename=upload.name, actor=request.user)
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(posted)s baris dibukukan, %(duplicate)s duplikat, %(rejected)s ditolak.")
                    % {
                        "posted": result.rows_posted,
                        "duplicate": result.rows_duplicate,
                        "rejected": result.rows_rejected,
                    },
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Unggah laporan upah"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/contributions/wagereport/upload.html", context)
