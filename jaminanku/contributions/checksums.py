"""Checksums of the whole JHT ledger, to prove that a change to posting or crediting leaves it the same to the
rupiah: every account (balance, totals, paid run, last employer), every contribution (every amount, its report)
and every entry (components, amount, what it reverses), each keyed by what identifies it in the registry (KPJ,
NPP, period) rather than by database ids, which depend on the order rows were written in. Timestamps are left
out. `ledger_checksums` prints them; run it on two databases seeded alike and compare."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from jaminanku.contributions.models import Account, Contribution, JhtEntry, WageReport


@dataclass(frozen=True, slots=True)
class Checksum:
    rows: int
    digest: str
    total: int  # a sum that reads at a glance (balances, JHT amounts, entry amounts)


def _digest(rows: Iterable[tuple[object, ...]], total_at: int | None) -> Checksum:
    # Sorted in Python, not by the database: the order of text keys would depend on the collation.
    ordered = sorted(tuple("" if v is None else str(v) for v in row) for row in rows)
    hasher = hashlib.sha256()
    total = 0
    for row in ordered:
        hasher.update("\x1f".join(row).encode())
        hasher.update(b"\x1e")
        if total_at is not None:
            total += int(row[total_at])
    return Checksum(len(ordered), hasher.hexdigest(), total)


def account_rows() -> Iterable[tuple[object, ...]]:
    return Account.objects.values_list(
        "membership__kpj",
        "balance",
        "employer_total",
        "worker_total",
        "development_total",
        "claims_total",
        "last_paid_period",
        "paid_since",
        "last_employer__npp",
    ).iterator(chunk_size=20_000)


CONTRIBUTION_FIELDS = (
    "membership__kpj",
    "employer__npp",
    "period",
    "wage",
    "risk_class",
    "jht_employer",
    "jht_worker",
    "jkk",
    "jkm",
    "jp_base",
    "jp_employer",
    "jp_worker",
    "jkp_government",
    "jkp_from_jkk",
    "jkp_from_jkm",
    "employer_due",
    "worker_due",
    "report__kind",
    "report__npp",
    "report__period",
)


def contribution_rows() -> Iterable[tuple[object, ...]]:
    # whether it is reversed, not when (a time)
    for *row, reversed_at in Contribution.objects.values_list(*CONTRIBUTION_FIELDS, "reversed_at").iterator(
        chunk_size=20_000
    ):
        yield (*row, reversed_at is not None)


def entry_rows() -> Iterable[tuple[object, ...]]:
    return JhtEntry.objects.values_list(
        "account__membership__kpj",
        "kind",
        "value_date",
        "year",
        "employer_amount",
        "worker_amount",
        "development_amount",
        "claim_amount",
        "amount",
        "contribution__employer__npp",
        "contribution__period",
        "reverses__kind",
        "reverses__value_date",
        "crediting_run__year",
        "crediting_run__rate_ppm",
        "note",
    ).iterator(chunk_size=20_000)


def report_rows() -> Iterable[tuple[object, ...]]:
    return WageReport.objects.values_list(
        "kind",
        "npp",
        "period",
        "rows_total",
        "rows_posted",
        "rows_rejected",
        "rows_duplicate",
        "amount_due",
        "late_fine",
        "due_date",
        "paid_on",
    ).iterator(chunk_size=20_000)


def ledger_checksums() -> dict[str, Checksum]:
    """Per part of the ledger: rows, SHA-256 of the sorted rows and a readable total."""
    return {
        "accounts": _digest(account_rows(), total_at=1),
        "contributions": _digest(contribution_rows(), total_at=5),
        "entries": _digest(entry_rows(), total_at=8),
        "wage_reports": _digest(report_rows(), total_at=7),
    }
