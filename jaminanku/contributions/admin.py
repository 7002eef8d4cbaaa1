"""Back office for contributions: rate tables editable (every write audited), ledgers read-only, an upload
page for wage-report files that shows each refused row with its reason, each report's due date, day paid and late
fine, and the branch-scoped list of employers in arrears."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jaminanku.audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, ViewAuditedAdminMixin
from jaminanku.contributions.arrears import in_arrears, months_owed, with_payment_state
from jaminanku.contributions.files import import_wage_report_file
from jaminanku.contributions.models import (
    Account,
    ArchivedYearTotal,
    Contribution,
    ContributionRate,
    CreditingRun,
    DevelopmentRate,
    EmployerArrears,
    JhtEntry,
    PensionAge,
    WageCap,
    WageReport,
)
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah, percent_from_ppm
from jaminanku.staff.scoping import BranchScopedAdminMixin


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
# An account's lines, found by its member's KPJ, NIK or name.
ACCOUNT_SEARCH = [term.replace("membership__", "account__membership__", 1) for term in MEMBER_SEARCH]


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
    search_fields = ACCOUNT_SEARCH
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(ArchivedYearTotal)
class ArchivedYearTotalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "account",
        "year",
        "lines",
        "employer_amount",
        "worker_amount",
        "development_amount",
        "claim_amount",
    ]
    list_filter = ["year"]
    search_fields = ACCOUNT_SEARCH
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(CreditingRun)
class CreditingRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", rate_percent, "started_at", "finished_at", "accounts_credited", "total_credited", "actor"]


class WageReportUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas laporan upah (CSV atau XLSX)"))
    paid_on = forms.DateField(
        label=_("Tanggal bayar"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy; kosong berarti hari ini. Menentukan keterlambatan dan denda."),
    )


def lateness(days: int | None, months: int | None) -> str:
    """`Tepat waktu`, or `Terlambat 3 hari (1 bulan)`; `–` when the day paid was not recorded."""
    if days is None or months is None:
        return "–"
    if not days:
        return str(_("Tepat waktu"))
    return ngettext("Terlambat %(days)s hari", "Terlambat %(days)s hari", days) % {"days": days} + (
        " " + ngettext("(%(months)s bulan)", "(%(months)s bulan)", months) % {"months": months}
    )


class LatePaymentFilter(admin.SimpleListFilter):
    title = _("pembayaran")
    parameter_name = "pembayaran"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("terlambat", _("Dibayar terlambat")), ("tepat", _("Dibayar tepat waktu"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[WageReport]) -> QuerySet[WageReport]:
        if self.value() == "terlambat":
            return queryset.filter(paid_on__gt=F("due_date"))
        if self.value() == "tepat":
            return queryset.filter(paid_on__lte=F("due_date"))
        return queryset


@admin.register(WageReport)
class WageReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "npp",
        "employer",
        "period_month",
        "kind",
        "filename",
        "rows_total",
        "rows_posted",
        "rows_duplicate",
        "rows_rejected",
        "imported_at",
        "due_date",
        "paid_on",
        "late",
        "amount_due_rupiah",
        "late_fine_rupiah",
    ]
    list_filter = ["kind", LatePaymentFilter]
    search_fields = ["=npp", "employer__name", "filename"]
    list_select_related = ["employer"]
    date_hierarchy = "period"
    change_list_template = "admin/contributions/wagereport/change_list.html"
    show_full_result_count = False
    exclude = ["errors", "amount_due", "late_fine"]
    readonly_fields = ["row_errors", "late", "amount_due_rupiah", "late_fine_rupiah"]

    @admin.display(description=_("periode"), ordering="period")
    def period_month(self, obj: WageReport) -> str:
        return f"{obj.period:%m/%Y}"

    @admin.display(description=_("keterlambatan"))
    def late(self, obj: WageReport) -> str:
        return lateness(obj.days_late, obj.months_late)

    @admin.display(description=_("jumlah iuran"), ordering="amount_due")
    def amount_due_rupiah(self, obj: WageReport) -> str:
        return format_rupiah(obj.amount_due)

    @admin.display(description=_("denda keterlambatan"), ordering="late_fine")
    def late_fine_rupiah(self, obj: WageReport) -> str:
        return format_rupiah(obj.late_fine)

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
                result = import_wage_report_file(
                    path_or_file=upload,
                    filename=upload.name,
                    actor=request.user,
                    paid_on=form.cleaned_data["paid_on"],
                )
            except DomainError as exc:
                form.add_error("paid_on" if exc.field == "paid_on" else "file", str(exc.message))
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
            "lateness": lateness(result.days_late, result.months_late) if result else "",
        }
        return TemplateResponse(request, "admin/contributions/wagereport/upload.html", context)


class ArrearsFilter(admin.SimpleListFilter):
    """Employers owing months past due (the default), those with late fines, or all."""

    title = _("keadaan iuran")
    parameter_name = "keadaan"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("denda", _("Ada denda keterlambatan")), ("semua", _("Semua pemberi kerja"))]

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() not in ("denda", "semua"),
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Menunggak iuran"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "semua":
            return queryset
        if self.value() == "denda":
            return queryset.filter(late_fines__gt=0)
        return in_arrears(queryset)


@admin.register(EmployerArrears)
class EmployerArrearsAdmin(ViewAuditedAdminMixin, BranchScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Employers in arrears, for the branch that serves them (supervisors: every branch)."""

    office_path = "branch__office"
    list_display = [
        "npp",
        "name",
        "branch__office",
        "last_paid",
        "months_owed",
        "first_due_date",
        "fines",
        "reports",
    ]
    list_filter = [ArrearsFilter]
    search_fields = ["=npp", "name"]
    list_select_related = ["branch__office"]
    ordering = ["npp"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return with_payment_state(super().get_queryset(request))

    @admin.display(description=_("bulan terakhir dibayar"), ordering="last_paid_period")
    def last_paid(self, obj: Any) -> str:
        return f"{obj.last_paid_period:%m/%Y}" if obj.last_paid_period else "–"

    def _owed(self, obj: Any) -> Any:
        return months_owed(last_paid_period=obj.last_paid_period, open_since=obj.open_since, today=timezone.localdate())

    @admin.display(description=_("bulan menunggak"))
    def months_owed(self, obj: Any) -> str:
        owed = self._owed(obj)
        if owed is None:
            return "0"
        return f"{owed.count} ({owed.first:%m/%Y}–{owed.last:%m/%Y})"

    @admin.display(description=_("jatuh tempo tertua"))
    def first_due_date(self, obj: Any) -> str:
        owed = self._owed(obj)
        return f"{owed.first_due_date:%d/%m/%Y}" if owed else "–"

    @admin.display(description=_("denda keterlambatan"), ordering="late_fines")
    def fines(self, obj: Any) -> str:
        return format_rupiah(obj.late_fines)

    @admin.display(description=_("laporan upah"))
    def reports(self, obj: Any) -> str:
        url = reverse("admin:contributions_wagereport_changelist")
        return format_html('<a href="{}?q={}">{}</a>', url, obj.npp, _("Lihat"))
