"""Gathers the facts of one membership for the eligibility rules: registry, ledger and past claims."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Min
from django.utils import timezone

from jaminanku.claims.eligibility import ClaimFacts, Eligibility, assess
from jaminanku.claims.models import JhtClaim
from jaminanku.contributions.selectors import membership_status
from jaminanku.registry.models import Employment, Membership

# The states in which a partial claim holds the person's one partial claim (the database constraint's states).
PARTIAL_HELD_STATES = ("submitted", "in_review", "approved", "paying", "returned", "paid")


def claim_facts(membership: Membership, *, today: date | None = None) -> ClaimFacts:
    today = today or timezone.localdate()
    person = membership.person
    status = membership_status(membership, today=today)
    jht = status.programs.get("JHT")
    active = bool(jht and jht.is_active) or status.is_active
    account = getattr(membership, "jht_account", None)
    latest = Employment.objects.filter(membership=membership).order_by("-start", "-id").first()
    member_since = person.memberships.aggregate(first=Min("registered_on"))["first"]
    partial = _partial_claim(person.pk)
    return ClaimFacts(
        today=today,
        date_of_birth=person.date_of_birth,
        segment=membership.segment,
        balance=account.balance if account else 0,
        active=active,
        employment_end=latest.end if latest else None,
        end_reason=latest.end_reason if latest else "",
        lapsed_on=None if active else (status.since if membership.segment != "PU" else None),
        member_since=member_since,
        partial_claimed_on=_partial_claim_day(partial) if partial else None,
        partial_claim_paid=partial is None or partial.state == JhtClaim.State.PAID,
    )


def _partial_claim(person_id: int) -> JhtClaim | None:
    """The person's one partial claim that counts as taken: paid, or submitted and on its way. A draft, a
    rejected or a withdrawn one leaves the partial claim open (the database allows only one such claim)."""
    return (
        JhtClaim.objects.filter(person_id=person_id, kind__in=JhtClaim.PARTIAL_KINDS, state__in=PARTIAL_HELD_STATES)
        .only("state", "paid_on", "submitted_at", "created_at")
        .first()
    )


def _partial_claim_day(claim: JhtClaim) -> date:
    when = claim.paid_on or claim.submitted_at or claim.created_at
    return timezone.localdate(when) if isinstance(when, datetime) else when


def eligibility_for(membership: Membership, *, today: date | None = None) -> Eligibility:
    return assess(claim_facts(membership, today=today))
