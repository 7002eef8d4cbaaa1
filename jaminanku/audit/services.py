"""Writing the audit log. Every staff write goes through `record_event`."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from jaminanku.audit import context
from jaminanku.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        # PostgreSQL's jsonb cannot hold NUL, and a staff list's filters in the address may carry one
        return value.replace("\x00", "\ufffd")
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {_jsonable(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The field values of a model instance, as JSON-ready data."""
    if instance is None:
        return None
    return _jsonable(model_to_dict(instance))


def record_event(
    action: str,
    *,
    instance: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    request = context.current_request()
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
    changed_before, changed_after = before, after
    if before is not None and after is not None:
        keys = [k for k in after if before.get(k) != after.get(k)]
        changed_before = {k: before.get(k) for k in keys}
        changed_after = {k: after.get(k) for k in keys}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "get_username", lambda: "")() if actor else "system")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_jsonable(changed_before),
        after=_jsonable(changed_after),
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def record_list_view(*, object_type: str, ids: list[Any], criteria: dict[str, Any]) -> AuditEvent | None:
    """A staff page listing members' records (UU 27/2022): which records were on the screen and what was asked
    for (search words, filters, page). Nothing is recorded when the list was empty."""
    if not ids:
        return None
    return record_event(
        "view_list",
        object_type=object_type,
        object_repr=f"{object_type} ×{len(ids)}",
        after={"criteria": criteria, "ids": [str(pk) for pk in ids]},
    )
