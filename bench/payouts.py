"""Paying a batch of approved JHT claims (issue 24): 10,000 claims (200 with --quick) of members with a JHT
balance, approved in an untimed set-up, then timed through the staff path - `create_batch` by bank file (one
payment per claim, every claim APPROVED → PAYING with its event, audit row and notices, the transfer file
written) and `apply_result_file` with every line BERHASIL (every payment settled, the ledger's claim entries
posted, the balances moved, every claim PAYING → PAID with its slip number, event, audit row and notices).
Baseline: a bulk insert of the same number of plain claim entries into the ledger (JhtEntry.bulk_create).
Everything runs in a transaction that is rolled back, so the database is left as it was found; the files go to
a temporary directory."""

from __future__ import annotations

import tempfile
import time
from typing import Any

from bench.common import Result, in_rollback

SIZE, QUICK_SIZE = 10_000, 200
TARGET = 0.05


def _accounts(size: int) -> list[tuple[int, int, int, str, int]]:
    """(account, membership, person, name, balance) of `size` members with a balance, one per person, none of
    them with an open claim."""
    from jaminanku.claims.models import JhtClaim
    from jaminanku.contributions.models import Account

    busy = JhtClaim.objects.filter(state__in=JhtClaim.OPEN_STATES).values("person_id")
    rows = (
        Account.objects.filter(balance__gt=0)
        .exclude(membership__person_id__in=busy)
        .order_by("id")
        .values_list("id", "membership_id", "membership__person_id", "membership__person__full_name", "balance")
    )
    chosen, persons = [], set()
    for row in rows.iterator(chunk_size=5_000):
        if row[2] in persons:
            continue
        persons.add(row[2])
        chosen.append(row)
        if len(chosen) == size:
            break
    assert len(chosen) == size, f"the seeded database has fewer than {size} members with a JHT balance"
    return chosen


def _approve(accounts: list[Any]) -> list[Any]:
    from jaminanku.claims.eligibility import jht_tax
    from jaminanku.claims.models import JhtClaim
    from jaminanku.claims.references import new_reference

    references: set[str] = set()
    while len(references) < len(accounts):
        references.add(new_reference())
    claims = [
        JhtClaim(
            reference=reference,
            person_id=person_id,
            membership_id=membership_id,
            kind=JhtClaim.Kind.FULL,
            ground=JhtClaim.Ground.RESIGNATION,
            channel=JhtClaim.Channel.ONLINE,
            state=JhtClaim.State.APPROVED,
            gross=balance,
            tax=jht_tax(balance),
            bank_code="014",
            account_number=f"{n:010d}",
            account_holder=name[:120],
        )
        for n, (reference, (_a, membership_id, person_id, name, balance)) in enumerate(
            zip(sorted(references), accounts, strict=True)
        )
    ]
    return JhtClaim.objects.bulk_create(claims, batch_size=1_000)


def run(*, quick: bool) -> list[Result]:
    from django.contrib.auth.models import User
    from django.core.files.storage import FileSystemStorage
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from jaminanku.claims.models import DisbursementBatch, JhtClaim
    from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
    from jaminanku.contributions.models import JhtEntry

    assert connection.vendor == "postgresql", "the payments benchmark needs PostgreSQL (make bench)"
    size = QUICK_SIZE if quick else SIZE
    reverse("backoffice:dashboard")  # the URLs a web process has loaded long before (the notices link to claims)
    accounts = _accounts(size)
    today = timezone.localdate()

    def baseline() -> float:
        entries = [
            JhtEntry(
                account_id=account_id,
                kind=JhtEntry.Kind.CLAIM,
                value_date=today,
                claim_amount=-balance,
                amount=-balance,
                note="bench",
            )
            for account_id, _m, _p, _n, balance in accounts
        ]
        started = time.perf_counter()
        JhtEntry.objects.bulk_create(entries, batch_size=1_000)
        return time.perf_counter() - started

    def ours() -> dict[str, Any]:
        claims = _approve(accounts)
        user = User.objects.create_user("bench-keuangan", is_staff=True)
        started = time.perf_counter()
        batch = create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=user, claims=claims)
        created = time.perf_counter() - started
        result = sample_result_csv(batch)  # the bank's answer: untimed
        started = time.perf_counter()
        settlement = apply_result_file(batch, result, user)
        settled = time.perf_counter() - started
        paid = JhtClaim.objects.filter(pk__in=[c.pk for c in claims], state=JhtClaim.State.PAID).count()
        return {"create": created, "settle": settled, "claims_paid": settlement.claims_paid, "paid": paid}

    with tempfile.TemporaryDirectory() as directory:
        storage = FileSystemStorage(location=directory)
        for name in ("transfer_file", "result_file"):
            DisbursementBatch._meta.get_field(name).storage = storage
        base_seconds = in_rollback(baseline)
        measured = in_rollback(ours)
    our_seconds = measured["create"] + measured["settle"]
    ratio = base_seconds / our_seconds
    return [
        Result(
            name="payouts",
            title=f"Paying a batch of {size:,} approved claims",
            unit="claims/s",
            ours=size / our_seconds,
            baseline=size / base_seconds,
            target=f"ratio ≥ {TARGET}",
            met=ratio >= TARGET and measured["paid"] == size,
            size={"claims": size},
            details={
                "create_batch_seconds": round(measured["create"], 2),
                "settle_seconds": round(measured["settle"], 2),
                "baseline_seconds": round(base_seconds, 3),
                "claims_paid": measured["claims_paid"],
            },
        )
    ]
