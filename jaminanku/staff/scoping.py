"""The admin mixin that scopes a branch's rows to the officers posted there, for every app's admin."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from jaminanku.staff.roles import branch_of


class BranchScopedAdminMixin:
    """A branch officer sees only their own branch's rows; supervisors see every branch. `office_path` is the
    lookup from the model to its Office ("office", "slot__office")."""

    office_path = "office"

    def get_queryset(self, request: HttpRequest) -> QuerySet:  # type: ignore[type-arg]
        queryset = super().get_queryset(request)  # type: ignore[misc]
        office = branch_of(request.user)
        return queryset if office is None else queryset.filter(**{f"{self.office_path}_id": office})
