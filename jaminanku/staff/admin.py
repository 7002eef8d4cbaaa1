"""Back office for staff posts, and the mixin that scopes a branch's rows to the officers posted there."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jaminanku.audit.admin import AuditedAdminMixin
from jaminanku.staff.models import StaffPost
from jaminanku.staff.roles import branch_of


class BranchScopedAdminMixin:
    """A branch officer sees only their own branch's rows; supervisors see every branch. `office_path` is the
    lookup from the model to its Office ("office", "slot__office")."""

    office_path = "office"

    def get_queryset(self, request: HttpRequest) -> QuerySet:  # type: ignore[type-arg]
        queryset = super().get_queryset(request)  # type: ignore[misc]
        office = branch_of(request.user)
        return queryset if office is None else queryset.filter(**{f"{self.office_path}_id": office})


@admin.register(StaffPost)
class StaffPostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "office"]
    raw_id_fields = ["user", "office"]
