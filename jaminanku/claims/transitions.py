"""The claim's state machine: which step may follow which, and what every step leaves behind - a ClaimEvent for
the member's timeline, an audit event (who, when, why, before and after) and a notice to the member's email and
phone through the outbox. Every change of a claim's state goes through `move`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.notices import absolute_url
from jaminanku.audit.services import record_event, snapshot
from jaminanku.claims import notices
from jaminanku.claims.models import ClaimEvent, JhtClaim
from jaminanku.core.errors import DomainError
from jaminanku.notify.services import queue_email, queue_sms

State = JhtClaim.State

ALLOWED: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    State.SUBMITTED: frozenset({State.IN_REVIEW, State.APPROVED, State.REJECTED, State.WITHDRAWN}),
    State.IN_REVIEW: frozenset({State.IN_REVIEW, State.APPROVED, State.REJECTED, State.WITHDRAWN}),
    State.APPROVED: frozenset({State.PAYING}),
    State.PAYING: frozenset({State.PAID, State.RETURNED}),
    State.RETURNED: frozenset({State.APPROVED, State.WITHDRAWN}),
    State.PAID: frozenset(),
    State.REJECTED: frozenset(),
    State.WITHDRAWN: frozenset(),
}
# A draft is the member's own business until it is submitted: no notice for it.
SILENT = frozenset({State.DRAFT})


def tracking_url(claim: JhtClaim) -> str:
    try:
        return absolute_url(reverse("claims:track", kwargs={"reference": claim.reference}))
    except NoReverseMatch:  # the member pages are not mounted (a worker without URLs, a test of the rules)
        return ""


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "sistem"
    if hasattr(actor, "get_username"):
        return str(actor.get_username())
    return str(actor)


def _notify(claim: JhtClaim, note: str) -> None:
    if claim.ground == JhtClaim.Ground.DEATH:  # the heirs filed it at the branch, which tells them
        return
    profile = MemberProfile.objects.filter(person_id=claim.person_id).only("email", "phone").first()
    if profile is None:  # a member without an account: the branch tells them
        return
    subject, body, sms = notices.state_changed(claim, note, tracking_url(claim))
    queue_email(to=profile.email, subject=subject, body=body)
    queue_sms(to=profile.phone, body=sms)


def move(
    claim: JhtClaim,
    to: str,
    *,
    actor: Any = None,
    note: str = "",
    fields: dict[str, Any] | None = None,
    action_label: str = "",
) -> JhtClaim:
    """Moves `claim` (locked by the caller, or locked here) to state `to`, setting `fields` with it, and records
    the step. `actor` is a User, the string "peserta" for the member, or None for the system. Refuses a step the
    state machine does not allow with a DomainError (code "claim_state")."""
    with transaction.atomic():
        locked = JhtClaim.objects.select_for_update().get(pk=claim.pk)
        if to not in ALLOWED[locked.state]:
            raise DomainError(notices.cannot_move(locked), code="claim_state")
        before = snapshot(locked)
        state_from = locked.state
        locked.state = to
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        locked.save()
        user = actor if getattr(actor, "pk", None) else None
        ClaimEvent.objects.create(
            claim=locked, state_from=state_from, state_to=to, actor=user, actor_label=_actor_label(actor), note=note
        )
        record_event(action_label or f"claims.{to}", instance=locked, before=before, after=snapshot(locked), actor=user)
        if to not in SILENT:
            _notify(locked, note)
    claim.refresh_from_db()
    return claim


def record_start(claim: JhtClaim, *, actor: Any = None, note: str = "") -> None:
    """The first event of a new claim (its creation in `claim.state`)."""
    user = actor if getattr(actor, "pk", None) else None
    ClaimEvent.objects.create(
        claim=claim, state_from="", state_to=claim.state, actor=user, actor_label=_actor_label(actor), note=note
    )
    record_event(f"claims.created_{claim.state}", instance=claim, before={}, after=snapshot(claim), actor=user)
    if claim.state not in SILENT:
        _notify(claim, note)
