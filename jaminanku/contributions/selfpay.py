"""BPU and PMI self-payments: a batch of (KPJ, declared income) for one month, posted through the same core as
wage reports and recorded as one WageReport of kind `self_payment`.

For BPU the amount is the declared income (from Rp1,000,000; JKK 1 %, JKM flat Rp6,800, JHT 2 % if opted). For
PMI it is the member's chosen monthly JHT amount (Rp50,000–600,000), taken 100 %; a PMI member who has not
opted into JHT has nothing to post here (the JKK/JKM placement packages are out of scope).

**Decision:** a self-payment may be for any month from the past up to SELF_PAYMENT_MONTHS_AHEAD months ahead
(members may pay in advance); a later month is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from jaminanku.contributions.bulk import chunks, rows_for_keys
from jaminanku.contributions.imports import CHUNK_ROWS
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.periods import add_months, month_start
from jaminanku.contributions.posting import (
    ACCOUNT_LOOKUP,
    PreparedContribution,
    accounts_from_lookup,
    ensure_accounts,
    post_contributions,
    recompute_paid_runs,
)
from jaminanku.contributions.rates import ScheduleCache, remembered_contribution
from jaminanku.contributions.reportbook import ImportResult, ReportBook, parse_amount
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Membership, Segment
from jaminanku.registry.validators import digits_of

SELF_PAYMENT_MONTHS_AHEAD = 12
SELF_PAYING = (Segment.BPU, Segment.PMI)


def post_bpu_payments(
    *, period: date, lines: Iterable[tuple[str, Any]], actor: Any = None, audit: bool = False, filename: str = ""
) -> ImportResult:
    """Posts BPU/PMI self-payments for `period`: each line is (KPJ, declared income or PMI JHT amount).
    Bad lines are refused with their line number (1-based) and reason; a month already paid is a duplicate."""
    period = month_start(period)
    book = ReportBook(period=period, kind=WageReport.Kind.SELF_PAYMENT, actor=actor, filename=filename, audit=audit)
    book.open({"": None})
    too_far = period > add_months(timezone.localdate(), SELF_PAYMENT_MONTHS_AHEAD)
    schedules = ScheduleCache()
    numbered = ((number, kpj, amount) for number, (kpj, amount) in enumerate(lines, start=1))
    for chunk in chunks(numbered, CHUNK_ROWS):
        with transaction.atomic():
            _post_chunk(chunk, period=period, book=book, schedules=schedules, too_far=too_far)
            book.save()
    return book.finish()[0]


def _post_chunk(
    chunk: list[tuple[int, Any, Any]], *, period: date, book: ReportBook, schedules: ScheduleCache, too_far: bool
) -> None:
    rows = [(number, digits_of(kpj), amount) for number, kpj, amount in chunk]
    book.count("", total=len(rows))
    members: dict[str, tuple[int, str, bool]] = {}
    looked_up: list[tuple[int, int | None, date | None, date | None]] = []
    for mid, kpj, segment, opted, *joined in rows_for_keys(
        Membership.objects.values_list("id", "kpj", "segment", "jht_opted", *ACCOUNT_LOOKUP),
        "kpj",
        sorted({kpj for _n, kpj, _a in rows}),
    ):
        members[kpj] = (mid, segment, opted)
        looked_up.append((mid, joined[0], joined[1], joined[2]))
    valid = []
    for number, kpj, raw in rows:
        member = members.get(kpj)
        income = parse_amount(raw)
        code = ""
        if too_far:
            code = "period_too_far"
        elif member is None:
            code = "unknown_kpj"
        elif member[1] not in SELF_PAYING:
            code = "not_self_paying"
        elif member[1] == Segment.PMI and not member[2]:
            code = "jht_not_opted"
        elif income is None:
            code = "wage_invalid"
        if code:
            book.reject("", number, kpj, code)
            continue
        assert member is not None and income is not None
        mid, segment, opted = member
        try:
            lines = remembered_contribution(
                wage=income, schedule=schedules.get(period, segment), risk_class=None, jht_opted=opted
            )
        except DomainError as exc:
            book.reject("", number, kpj, exc.code, message=str(exc.message))
            continue
        valid.append((mid, income, lines))
    accounts = ensure_accounts((mid for mid, _i, _l in valid), known=accounts_from_lookup(looked_up))
    prepared: dict[int, PreparedContribution] = {}
    backfilled: set[int] = set()
    report_id = book.results[""].report_id
    for mid, income, lines in valid:
        if mid in prepared:  # the same KPJ twice in one batch
            book.count("", duplicate=1)
            continue
        account = accounts[mid]
        prepared[mid] = PreparedContribution(
            membership_id=mid,
            account_id=account.id,
            employer_id=None,
            period=period,
            wage=income,
            risk_class=None,
            lines=lines,
            report_id=report_id,
        )
        if account.backfills(period):
            backfilled.add(account.id)
    inserted = post_contributions(list(prepared.values()), now=timezone.now())
    book.count("", posted=len(inserted), duplicate=len(prepared) - len(inserted))
    recompute_paid_runs(backfilled & {row.account_id for row in inserted})
