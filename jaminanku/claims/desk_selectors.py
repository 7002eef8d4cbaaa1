"""What the claim desk shows a branch officer: the open claims of their branch by due date, overdue ones flagged,
and one claim with the member's record, balances, documents, timeline, heirs and the automatic decision's reasons.
A branch officer sees their own branch's claims only; supervisors and superusers see every branch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from jaminanku.claims import sla
from jaminanku.claims.models import ClaimDocument, ClaimEvent, ClaimHeir, JhtClaim
from jaminanku.claims.references import normalise_reference
from jaminanku.contributions.selectors import jht_balance_for
from jaminanku.core.errors import NotFound
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership, Person
from jaminanku.staff.roles import SUPERVISOR, branch_of

State = JhtClaim.State
# The states a desk works on: waiting for a decision, or decided and waiting for (or failing) payment.
DESK_STATES = (State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.APPROVED)


def office_today(office: Office | None) -> date:
    """Today in the branch's own time zone (as the queue decides it); WIB for a claim without a branch."""
    zone = office.time_zone if office is not None and office.time_zone else settings.TIME_ZONE
    return timezone.now().astimezone(ZoneInfo(zone)).date()


def is_supervisor(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    groups = getattr(user, "groups", None)
    return bool(groups is not None and groups.filter(name=SUPERVISOR).exists())


def scoped_claims(user: Any) -> QuerySet[JhtClaim]:
    """The claims `user` may work on: their branch's, every branch's for a supervisor, none without a post."""
    scope = branch_of(user)
    claims = JhtClaim.objects.all()
    if scope is None:
        return claims
    return claims.filter(office_id=scope)  # -1 for an officer without a post matches nothing


def desk_offices() -> QuerySet[Office]:
    """The branches a supervisor may narrow the desk to."""
    return Office.objects.filter(active=True).exclude(kind=Office.Kind.REGIONAL).only("code", "name").order_by("code")


@dataclass(frozen=True)
class DeskRow:
    claim: JhtClaim
    today: date  # in the claim's branch
    overdue: bool
    awaiting_supervisor: bool


def _awaiting_supervisor(claim: JhtClaim) -> bool:
    return (
        claim.state == State.IN_REVIEW
        and claim.approved_by_id is not None
        and sla.needs_second_approval(claim.gross)
        and claim.second_approved_by_id is None
    )


def _overdue(claim: JhtClaim, today: date) -> bool:
    # The service level runs until the member is paid, so an approved claim not yet paid can be late too.
    return claim.state in DESK_STATES and claim.due_on is not None and claim.due_on < today


def desk_claims(user: Any, *, state: str | None = None, office_code: str = "") -> list[DeskRow]:
    """The open claims of the officer's branch, the most urgent first (due date, then submission)."""
    states = (state,) if state in DESK_STATES else DESK_STATES
    claims = (
        scoped_claims(user)
        .filter(state__in=states)
        .select_related("person", "membership", "office")
        .order_by(F("due_on").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )
    if office_code:
        claims = claims.filter(office__code=office_code)
    todays: dict[int | None, date] = {}
    rows = []
    for claim in claims:
        if claim.office_id not in todays:
            todays[claim.office_id] = office_today(claim.office)
        today = todays[claim.office_id]
        rows.append(DeskRow(claim, today, _overdue(claim, today), _awaiting_supervisor(claim)))
    return rows


@dataclass(frozen=True)
class MembershipBalance:
    membership: Membership
    balance: int


@dataclass
class DeskClaim:
    claim: JhtClaim
    person: Person
    today: date
    overdue: bool
    awaiting_supervisor: bool
    needs_second_approval: bool
    memberships: list[MembershipBalance] = field(default_factory=list)
    documents: list[ClaimDocument] = field(default_factory=list)
    events: list[ClaimEvent] = field(default_factory=list)
    heirs: list[ClaimHeir] = field(default_factory=list)
    auto_reasons: list[dict[str, str]] = field(default_factory=list)
    auto_approved: bool | None = None


def desk_claim(user: Any, reference: str) -> DeskClaim:
    """One claim of the officer's branch with everything needed to decide it; NotFound for another branch's claim
    (not told apart from a claim that does not exist)."""
    claim = (
        scoped_claims(user)
        .select_related("person", "membership", "office", "prepared_by", "approved_by", "second_approved_by")
        .filter(reference=normalise_reference(reference or ""))
        .first()
    )
    if claim is None:
        raise NotFound(code="claim_not_found")
    person = claim.person
    today = office_today(claim.office)
    decision = claim.auto_decision or {}
    return DeskClaim(
        claim=claim,
        person=person,
        today=today,
        overdue=_overdue(claim, today),
        awaiting_supervisor=_awaiting_supervisor(claim),
        needs_second_approval=sla.needs_second_approval(claim.gross),
        memberships=[
            MembershipBalance(m, jht_balance_for(m)) for m in person.memberships.order_by("registered_on", "kpj")
        ],
        documents=list(claim.documents.select_related("uploaded_by")),
        events=list(claim.events.select_related("actor")),
        heirs=list(claim.heirs.order_by("-share_percent", "name")),
        auto_reasons=[r for r in decision.get("reasons", []) if isinstance(r, dict)],
        auto_approved=decision.get("approved") if "approved" in decision else None,
    )


def desk_document(user: Any, reference: str, token: str) -> ClaimDocument:
    """A document of a claim the officer may work on; NotFound otherwise."""
    document = (
        ClaimDocument.objects.select_related("claim")
        .filter(claim__in=scoped_claims(user), claim__reference=normalise_reference(reference or ""), token=token)
        .first()
    )
    if document is None:
        raise NotFound(code="document_not_found")
    return document
