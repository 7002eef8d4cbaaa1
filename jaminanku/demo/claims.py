"""The seeder's paid claims: one JhtClaim per claim entry the seeder posts, written in bulk beside the entries, so
the demo ledger reconciles (every claim entry has exactly one paid claim) without a query per claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, cast

from django.db import connection

from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.payouts.settle import tax_slip_number
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.bulk import insert_rows, reserve_ids

# The columns that differ from claim to claim; every other column takes the value a new paid branch claim has.
VARYING = (
    "id",
    "reference",
    "person_id",
    "membership_id",
    "ground",
    "gross",
    "tax",
    "paid_on",
    "entry_id",
    "tax_slip_number",
)


class _Id(NamedTuple):
    pk: int  # all settle.tax_slip_number reads of a claim


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
    # Ids reserved up front so each claim's withholding slip number (which the payments derive from the claim's
    # id) goes in with it: a paid claim has its slip.
    first = reserve_ids(JhtClaim._meta.db_table, len(rows))

    def values(claim_id: int, person_id: int, membership_id: int, ground: str, entry: JhtEntry) -> list[Any]:
        gross = -entry.amount
        row = list(template)
        for index, value in zip(
            at,
            (
                claim_id,
                demo_reference(entry.pk),
                person_id,
                membership_id,
                ground if ground in grounds else "",
                gross,
                jht_tax(gross),
                entry.value_date,
                entry.pk,
                tax_slip_number(cast(JhtClaim, _Id(claim_id)), entry.value_date),
            ),
            strict=True,
        ):
            row[index] = value
        return row

    insert_rows(JhtClaim._meta.db_table, columns, (values(first + n, *row) for n, row in enumerate(rows)))
    return len(rows)


def _template() -> tuple[list[str], list[Any]]:
    """The columns of a claim and the database values of a new paid, full, branch claim."""
    claim = JhtClaim(kind=JhtClaim.Kind.FULL, channel=JhtClaim.Channel.BRANCH, state=JhtClaim.State.PAID)
    fields = [f for f in JhtClaim._meta.concrete_fields if not f.primary_key] + [JhtClaim._meta.pk]
    values = [f.get_db_prep_save(f.pre_save(claim, add=True), connection) for f in fields]
    return [str(f.column) for f in fields], values
