"""Claims in the admin: read-only (decisions are made on the claim desk, /staf/klaim/, and payments on their
own pages), each look at a member's claim audited, and a branch officer sees their own branch's claims only."""

from django.contrib import admin

from jaminanku.audit.admin_mixins import ReadOnlyAdminMixin, ViewAuditedAdminMixin
from jaminanku.claims.models import ClaimEvent, ClaimHeir, JhtClaim
from jaminanku.staff.scoping import BranchScopedAdminMixin


class ClaimEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimEvent
    fields = readonly_fields = ("at", "state_from", "state_to", "actor_label", "note")
    extra = 0


class ClaimHeirInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimHeir
    fields = readonly_fields = (
        "name",
        "nik",
        "relation",
        "share_percent",
        "bank_code",
        "account_number",
        "account_holder",
    )
    extra = 0


@admin.register(JhtClaim)
class JhtClaimAdmin(ViewAuditedAdminMixin, BranchScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "membership", "kind", "ground", "channel", "state", "office", "gross", "due_on"]
    list_filter = ["state", "kind", "ground", "channel"]
    search_fields = ["=reference", "=membership__kpj", "=person__nik"]
    list_select_related = ["membership", "office"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "reference",
        "person",
        "membership",
        "kind",
        "ground",
        "channel",
        "state",
        "office",
        "booking_code",
        "gross",
        "tax",
        "bank_code",
        "account_number",
        "account_holder",
        "holder_name_score",
        "declared_at",
        "submitted_at",
        "due_on",
        "decided_at",
        "auto_decision",
        "rejection_reason",
        "prepared_by",
        "approved_by",
        "second_approved_by",
        "paid_on",
        "entry",
        "tax_slip_number",
        "actor",
        "created_at",
        "updated_at",
    ]
    inlines = [ClaimHeirInline, ClaimEventInline]
