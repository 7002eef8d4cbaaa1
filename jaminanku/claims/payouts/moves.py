"""`transitions.move` for many claims at once: a batch of thousands of claims moves APPROVED → PAYING and
PAYING → PAID in a constant number of statements, leaving exactly what `move` leaves for each claim - a
ClaimEvent, an audit event with the values before and after, and the email and SMS notice through the outbox.
The claims must be locked by the caller (select_for_update) and still in a state the step may leave."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jaminanku.accounts.models import MemberProfile
from jaminanku.audit import context
from jaminanku.audit.models import AuditEvent
from jaminanku.claims import notices
from jaminanku.claims.models import ClaimEvent, JhtClaim
from jaminanku.claims.payouts.rows import update_same, update_varying
from jaminanku.claims.transitions import ALLOWED, SILENT, tracking_url
from jaminanku.core.bulk import AnyOf, insert_rows
from jaminanku.core.errors import DomainError
from jaminanku.notify.delivery import deliver_message
from jaminanku.notify.models import OutboundMessage

ROWS = 1_000
ATTNAMES = {"entry": "entry_id", "office": "office_id", "person": "person_id", "membership": "membership_id"}
EVENT_COLUMNS = ("claim_id", "at", "state_from", "state_to", "actor_id", "actor_label", "note")
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "ip_address",
)


def _label(actor: Any) -> str:
    if actor is None:
        return "sistem"
    if hasattr(actor, "get_username"):
        return str(actor.get_username())
    return str(actor)


def _json_value(value: Any) -> Any:
    # what audit.services.snapshot makes of the claim fields a payment changes
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _values(claim: JhtClaim, names: Sequence[str]) -> dict[str, Any]:
    return {name: _json_value(getattr(claim, ATTNAMES.get(name, name))) for name in names}


def move_many(
    claims: Sequence[JhtClaim],
    to: str,
    *,
    actor: Any = None,
    notes: Mapping[int, str] | None = None,
    fields: Mapping[int, Mapping[str, Any]] | None = None,
) -> None:
    """Moves every claim in `claims` (locked, loaded) to state `to`, with the per-claim `fields` and `notes`
    (by claim id). All or none: one claim that may not take this step refuses the whole call."""
    if not claims:
        return
    for claim in claims:
        if to not in ALLOWED[claim.state]:
            raise DomainError(notices.cannot_move(claim), code="claim_state")
    notes = notes or {}
    fields = fields or {}
    user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    names = sorted({"state", "updated_at"} | {name for values in fields.values() for name in values})
    request = context.current_request()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    audit_actor = user
    if audit_actor is None and request is not None and getattr(request, "user", None) is not None:
        audit_actor = request.user if request.user.is_authenticated else None
    audit_id = audit_actor.pk if audit_actor is not None else None
    audit_label = (audit_actor.get_username() if audit_actor is not None else "system")[:150]
    label, kinds = _label(actor)[:150], {k: str(v) for k, v in JhtClaim.Kind.choices}
    events, audits = [], []
    for claim in claims:
        before = _values(claim, names)
        state_from = claim.state
        claim.state = to
        claim.updated_at = now
        for name, value in fields.get(claim.pk, {}).items():
            setattr(claim, name, value)
        after = _values(claim, names)
        keys = [k for k in names if before[k] != after[k]]
        events.append((claim.pk, now, state_from, to, user.pk if user else None, label, notes.get(claim.pk, "")))
        audits.append(
            (
                now,
                audit_id,
                audit_label,
                f"claims.{to}",
                JhtClaim._meta.label,
                str(claim.pk),
                f"{claim.reference} {kinds.get(claim.kind, claim.kind)}"[:200],
                json.dumps({k: before[k] for k in keys}),
                json.dumps({k: after[k] for k in keys}),
                ip,
            )
        )
    with transaction.atomic():
        _write(claims, set(names))
        insert_rows(ClaimEvent._meta.db_table, EVENT_COLUMNS, events)
        insert_rows(AuditEvent._meta.db_table, AUDIT_COLUMNS, audits)
        if to not in SILENT:
            _notify_many(claims, notes)


def _write(claims: Sequence[JhtClaim], names: set[str]) -> None:
    """The claims' new values: those every claim shares in one UPDATE, the ones that differ (a paid claim's
    entry and slip number) through a VALUES list."""
    attnames = [JhtClaim._meta.get_field(name).attname for name in sorted(names)]  # type: ignore[union-attr]
    first = claims[0]
    common = {a: getattr(first, a) for a in attnames if all(getattr(c, a) == getattr(first, a) for c in claims)}
    varying = [a for a in attnames if a not in common]
    if not varying:
        update_same(JhtClaim, [c.pk for c in claims], common)
        return
    columns = [str(JhtClaim._meta.get_field(a).column) for a in varying]  # type: ignore[union-attr]
    update_varying(JhtClaim, common, columns, [(c.pk, *(getattr(c, a) for a in varying)) for c in claims])


def _notify_many(claims: Sequence[JhtClaim], notes: Mapping[int, str]) -> None:
    """The notices `move` queues one by one, inserted together (a death claim's member has no account: the
    branch tells the heirs)."""
    contacts = {
        person_id: (email, phone)
        for person_id, email, phone in MemberProfile.objects.filter(
            AnyOf(F("person_id"), sorted({c.person_id for c in claims}))
        ).values_list("person_id", "email", "phone")
    }
    messages = []
    for claim in claims:
        if claim.person_id not in contacts:
            continue
        email, phone = contacts[claim.person_id]
        subject, body, sms = notices.state_changed(claim, notes.get(claim.pk, ""), tracking_url(claim))
        messages.append(
            OutboundMessage(channel=OutboundMessage.Channel.EMAIL, to=email, subject=subject[:200], body=body)
        )
        messages.append(OutboundMessage(channel=OutboundMessage.Channel.SMS, to=phone, subject="", body=sms))
    created = OutboundMessage.objects.bulk_create(messages, batch_size=ROWS)
    # the same rule as notify.services: in development nobody runs the worker, so deliver after the commit
    if getattr(settings, "NOTIFY_DELIVER_ON_COMMIT", settings.DEBUG):
        for message in created:
            transaction.on_commit(partial(deliver_message, message.pk), robust=True)
