"""Back office for the queue: slots with their capacity (editable), bookings per branch and day, check-in."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.admin_mixins import AuditedAdminMixin
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.services import mark_served
from jaminanku.core.errors import DomainError
from jaminanku.staff.scoping import BranchScopedAdminMixin


@admin.register(Slot)
class SlotAdmin(BranchScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["office", "day", "hour", "capacity", "booked", "closed"]
    list_filter = ["closed", "office__time_zone"]
    list_editable = ["capacity", "closed"]
    search_fields = ["office__code", "office__name"]
    date_hierarchy = "day"
    readonly_fields = ["booked"]
    raw_id_fields = ["office"]


@admin.register(Booking)
class BookingAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    office_path = "slot__office"

    list_display = ["code", "slot", "service", "status", "person"]
    list_filter = ["status", "service", "slot__day"]
    search_fields = ["=code", "=person__nik", "slot__office__code"]
    list_select_related = ["slot__office", "person"]
    readonly_fields = ["code", "person", "membership", "service", "slot", "status", "created_at", "updated_at"]
    actions = ["serve"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Tandai selesai dilayani"))
    def serve(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        for booking in queryset:
            try:
                mark_served(booking=booking, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{booking.code}: {exc.message}", messages.WARNING)
