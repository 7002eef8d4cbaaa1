"""The seeder's paid claims: one JhtClaim per claim entry the seeder posts, written in bulk beside the entries, so
the demo ledger reconciles (every claim entry has exactly one paid claim) without a query per claim."""

from __future__ import annotations

from collections.abc import Sequence

from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import JhtClaim
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.bulk import batched

BATCH = 2_000


def demo_reference(entry_id: int) -> str:
    """Digits only and 10 long: never one of the 8-character references new claims get (references.py), nor one
    of the 'K' + digits references migration 0002 gave older claims."""
    return f"{entry_id:010d}"


def paid_claims(rows: Sequence[tuple[int, int, str, JhtEntry]]) -> int:
    """Writes a paid branch claim of the full balance for each (person id, membership id, end reason, claim
    entry); returns how many. The ground is the end reason (a seeded job ends in resignation, dismissal or end
    of contract)."""
    count = 0
    for batch in batched(rows, BATCH):
        JhtClaim.objects.bulk_create(
            [_paid(person_id, membership_id, ground, entry) for person_id, membership_id, ground, entry in batch]
        )
        count += len(batch)
    return count


def _paid(person_id: int, membership_id: int, ground: str, entry: JhtEntry) -> JhtClaim:
    gross = -entry.amount
    return JhtClaim(
        reference=demo_reference(entry.pk),
        person_id=person_id,
        membership_id=membership_id,
        kind=JhtClaim.Kind.FULL,
        ground=ground if ground in JhtClaim.Ground.values else "",
        channel=JhtClaim.Channel.BRANCH,
        state=JhtClaim.State.PAID,
        gross=gross,
        tax=jht_tax(gross),
        paid_on=entry.value_date,
        entry=entry,
    )
