"""The seeder's paid claims: one JhtClaim per claim entry the seeder posts, written in bulk beside the entries, so
the demo ledger reconciles (every claim entry has exactly one paid claim) without a query per claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import JhtClaim
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.bulk import insert_rows

# The columns that differ from claim to claim; every other column takes the value a new paid branch claim has.
VARYING = ("reference", "person_id", "membership_id", "ground", "gross", "tax", "paid_on", "entry_id")


def demo_reference(entry_id: int) -> str:
    """Digits only and 10 long: never one of the 8-character references new claims get (references.py), nor one
    of the 'K' + digits references migration 0002 gave older claims."""
    return f"{entry_id:010d}"


def paid_claims(rows: Sequence[tuple[int, int, str, JhtEntry]]) -> int:
    """Writes a paid branch claim of the full balance for each (person id, membership id, end reason, claim
    entry); returns how many. The ground is the end reason (a seeded job ends in resignation, dismissal or end
    of contract). Rows go in by COPY (bulk.insert_rows): the ORM's bulk_create spent twice the ledger's own time
    preparing the claims' 30 columns one value at a time."""
    if not rows:
        return 0
    columns, template = _template()
    at = [columns.index(name) for name in VARYING]
    grounds = set(JhtClaim.Ground.values)

    def values(person_id: int, membership_id: int, ground: str, entry: JhtEntry) -> list[Any]:
        gross = -entry.amount
        row = list(template)
        for index, value in zip(
            at,
            (
                demo_reference(entry.pk),
                person_id,
                membership_id,
                ground if ground in grounds else "",
                gross,
                jht_tax(gross),
                entry.value_date,
                entry.pk,
            ),
            strict=True,
        ):
            row[index] = value
        return row

    insert_rows(JhtClaim._meta.db_table, columns, (values(*row) for row in rows))
    return len(rows)


def _template() -> tuple[list[str], list[Any]]:
    """The columns of a claim (all but its id) and the database values of a new paid, full, branch claim."""
    claim = JhtClaim(kind=JhtClaim.Kind.FULL, channel=JhtClaim.Channel.BRANCH, state=JhtClaim.State.PAID)
    fields = [f for f in JhtClaim._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(claim, add=True), connection) for f in fields]
    return [str(f.column) for f in fields], values
