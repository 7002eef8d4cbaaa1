"""The mixins every app's admin uses: auditing each write and each look at members' records, and read-only admins
for ledgers and logs. Kept out of admin.py so that no app imports another's admin module."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from jaminanku.audit.services import record_event, record_list_view, snapshot


class AuditedAdminMixin:
    """Records who changed what, with the values before and after, for every save and delete in the admin."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj)._default_manager.filter(pk=obj.pk).first()) if change else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            record_event("change" if change else "add", instance=obj, before=before or {}, after=snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            record_event("delete", instance=obj, before=snapshot(obj), after={})
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_event("delete", instance=obj, before=snapshot(obj), after={})
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class ViewAuditedAdminMixin:
    """For records holding a member's personal data (UU 27/2022): every time a staff member opens one record's
    page, an AuditEvent "view" names who and which record; every list or search result page, a "view_list"
    names the records shown and the search words and filters."""

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        listing = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and listing is not None:
            record_list_view(
                object_type=listing.model._meta.label,
                ids=[row.pk for row in listing.result_list],
                criteria={"search": listing.query, "filters": dict(request.GET.items())},
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and shown is not None:
            record_event("view", instance=shown)
        return response


class ReadOnlyAdminMixin:
    """For ledgers and logs: staff may look, never edit."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
