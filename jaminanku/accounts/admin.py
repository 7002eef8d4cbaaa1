"""Back office: the account-reset queue (sorted by due date, overdue highlighted, approve / reject with a
reason — each through the services, which notify the member and audit; a branch officer sees only their
branch's requests), and member accounts (read-only)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.models import AccountResetRequest, MemberProfile
from jaminanku.accounts.recovery import resets
from jaminanku.audit.admin_mixins import ReadOnlyAdminMixin, ViewAuditedAdminMixin
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_nik
from jaminanku.staff.scoping import BranchScopedAdminMixin


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)  # the admin lets only logged-in staff in


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan (dikirim ke peserta)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("batas waktu")
    parameter_name = "terlambat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("ya", _("Terlambat")), ("tidak", _("Belum jatuh tempo"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AccountResetRequest]) -> QuerySet[AccountResetRequest]:
        today = timezone.localdate()
        open_ = queryset.filter(status=AccountResetRequest.Status.RECEIVED)
        if self.value() == "ya":
            return open_.filter(due_on__lt=today)
        if self.value() == "tidak":
            return open_.filter(due_on__gte=today)
        return queryset


@admin.register(AccountResetRequest)
class AccountResetRequestAdmin(ViewAuditedAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "person_name",
        "person_nik",
        "office",
        "received_at",
        "due",
        "status",
        "decided_at",
    ]
    list_filter = ["status", OverdueFilter]
    search_fields = ["tracking_number", "person__nik", "contact_email", "contact_phone"]
    ordering = ["due_on", "received_at"]
    list_select_related = ["person", "office"]
    actions = ["approve_requests", "reject_requests"]
    readonly_fields = [
        "tracking_number",
        "person",
        "office",
        "old_user",
        "contact_email",
        "contact_phone",
        "status",
        "received_at",
        "due_on",
        "decided_at",
        "decided_by",
        "reject_reason",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccountResetRequest]:
        return super().get_queryset(request).select_related("person", "office")

    @admin.display(description=_("nama"), ordering="person__full_name")
    def person_name(self, obj: AccountResetRequest) -> str:
        return obj.person.full_name

    @admin.display(description=_("NIK"))
    def person_nik(self, obj: AccountResetRequest) -> str:
        return mask_nik(obj.person.nik)

    @admin.display(description=_("batas waktu"), ordering="due_on")
    def due(self, obj: AccountResetRequest) -> str:
        text = obj.due_on.strftime("%d/%m/%Y")
        if obj.status == AccountResetRequest.Status.RECEIVED and obj.due_on < timezone.localdate():
            return format_html('<strong class="overdue" style="color:#b00020">{} — {}</strong>', text, _("TERLAMBAT"))
        return text

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from members, through the sign-up

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Setujui: tutup akun lama dan kabari peserta"), permissions=["change"])
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[AccountResetRequest]) -> None:
        done = 0
        for reset in queryset.order_by("due_on"):
            try:
                resets.approve_account_reset(request=reset, staff=_staff(request))
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{reset.tracking_number}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, _("%(count)d permintaan disetujui.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Tolak dengan alasan"), permissions=["change"])
    def reject_requests(self, request: HttpRequest, queryset: QuerySet[AccountResetRequest]) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for reset in queryset.order_by("due_on"):
                try:
                    resets.reject_account_reset(
                        request=reset, staff=_staff(request), reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except DomainError as exc:
                    self.message_user(request, f"{reset.tracking_number}: {exc.message}", messages.WARNING)
            if done:
                self.message_user(request, _("%(count)d permintaan ditolak.") % {"count": done}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "requests": queryset,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/accountresetrequest/reject.html", context)


@admin.register(MemberProfile)
class MemberProfileAdmin(ViewAuditedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "phone", "person", "created_at"]
    search_fields = ["email", "phone", "person__nik"]
    list_select_related = ["person"]
