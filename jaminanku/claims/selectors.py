"""Gathers the facts of one membership for the eligibility rules: registry, ledger and past claims."""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils import timezone

from jaminanku.claims.eligibility import ClaimFacts, Eligibility, assess
from jaminanku.claims.models import JhtClaim
from jaminanku.contributions.selectors import membership_status
from jaminanku.registry.models import Employment, Membership


def claim_facts(membership: Membership, *, today: date | None = None) -> ClaimFacts:
    today = today or timezone.localdate()
    person = membership.person
    status = membership_status(membership, today=today)
    jht = status.programs.get("JHT")
    active = bool(jht and jht.is_active) or status.is_active
    account = getattr(membership, "jht_account", None)
    latest = Employment.objects.filter(membership=membership).order_by("-start").first()
    member_since = person.memberships.aggregate(first=Min("registered_on"))["first"]
    partial = JhtClaim.objects.filter(person=person, kind__in=["partial_10", "partial_30"]).first()
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
        partial_claimed_on=partial.paid_on if partial else None,
    )


def eligibility_for(membership: Membership, *, today: date | None = None) -> Eligibility:
    return assess(claim_facts(membership, today=today))
