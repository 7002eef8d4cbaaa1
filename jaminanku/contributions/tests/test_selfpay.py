"""BPU and PMI self-payments through the posting core, and the payment-based status."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaminanku.contributions.models import Account, Contribution, WageReport
from jaminanku.contributions.selectors import ACTIVE, NON_ACTIVE, NOT_ENROLLED, membership_status
from jaminanku.contributions.selfpay import post_bpu_months, post_bpu_payments
from jaminanku.core.errors import DomainError
from jaminanku.registry.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_bpu_payments_post_and_bad_lines_are_refused():
    opted = MembershipFactory(segment="BPU", jht_opted=True)
    not_opted = MembershipFactory(segment="BPU", jht_opted=False)
    pmi = MembershipFactory(segment="PMI", jht_opted=True)
    pmi_without_jht = MembershipFactory(segment="PMI", jht_opted=False)
    pu = MembershipFactory(segment="PU")
    result = post_bpu_payments(
        period=date(2024, 3, 1),
        lines=[
            (opted.kpj, 2_000_000),
            (not_opted.kpj, 1_000_000),
            (pmi.kpj, 300_000),
            ("99999999999", 1_000_000),
            (pu.kpj, 1_000_000),
            (opted.kpj, 2_000_000),
            (MembershipFactory(segment="BPU").kpj, 900_000),
            (pmi_without_jht.kpj, 100_000),
        ],
    )
    assert [(e["row"], e["code"]) for e in result.errors] == [
        (4, "unknown_kpj"),
        (5, "not_self_paying"),
        (7, "base_below_minimum"),
        (8, "jht_not_opted"),
    ]
    assert (result.rows_total, result.rows_posted, result.rows_duplicate, result.rows_rejected) == (8, 3, 1, 4)
    assert result.report.kind == WageReport.Kind.SELF_PAYMENT
    paid = {c.membership_id: c for c in Contribution.objects.all()}
    # 2,000,000: JKK 20,000 + JKM 6,800 + JHT 40,000
    assert paid[opted.pk].worker_due == 66_800
    assert paid[opted.pk].employer is None
    assert paid[not_opted.pk].worker_due == 16_800
    assert paid[pmi.pk].jht_worker == 300_000
    balances = dict(Account.objects.values_list("membership_id", "balance"))
    assert balances == {opted.pk: 40_000, not_opted.pk: 0, pmi.pk: 300_000}


def test_paying_the_same_month_again_posts_nothing():
    member = MembershipFactory(segment="BPU")
    post_bpu_payments(period=date(2024, 3, 1), lines=[(member.kpj, 1_000_000)])
    again = post_bpu_payments(period=date(2024, 3, 1), lines=[(member.kpj, 1_000_000)])
    assert (again.rows_posted, again.rows_duplicate) == (0, 1)
    assert Account.objects.get(membership=member).balance == 20_000


def test_bpu_status_follows_the_paid_months():
    member = MembershipFactory(segment="BPU", jht_opted=False, registered_on=date(2025, 12, 5))
    never = membership_status(member, today=date(2026, 1, 10))
    assert (never.status, never.since) == (NON_ACTIVE, date(2025, 12, 5))
    for month in (1, 2, 3):
        post_bpu_payments(period=date(2026, month, 1), lines=[(member.kpj, 1_000_000)])
    # mid-April: March (the previous month) is paid → active since the run began, 1 January
    april = membership_status(member, today=date(2026, 4, 15))
    assert (april["JKK"].status, april["JKK"].since) == (ACTIVE, date(2026, 1, 1))
    assert april["JKM"].status == ACTIVE
    assert april["JHT"].status == NOT_ENROLLED  # not opted
    assert april["JP"].status == april["JKP"].status == NOT_ENROLLED
    # 1 May: neither April nor May is paid → cover lapsed at the end of April
    may = membership_status(member, today=date(2026, 5, 1))
    assert (may.status, may.since) == (NON_ACTIVE, date(2026, 5, 1))
    assert may["JKK"].status == NON_ACTIVE


def test_a_gap_starts_a_new_run_and_a_late_month_joins_runs():
    member = MembershipFactory(segment="BPU")
    for month in (1, 3):
        post_bpu_payments(period=date(2026, month, 1), lines=[(member.kpj, 1_000_000)])
    status = membership_status(member, today=date(2026, 4, 2))
    assert (status.status, status.since) == (ACTIVE, date(2026, 3, 1))
    post_bpu_payments(period=date(2026, 2, 1), lines=[(member.kpj, 1_000_000)])
    status = membership_status(member, today=date(2026, 4, 2))
    assert (status.status, status.since) == (ACTIVE, date(2026, 1, 1))


def test_pmi_jht_optional_status():
    member = MembershipFactory(segment="PMI", jht_opted=True)
    post_bpu_payments(period=date(2026, 6, 1), lines=[(member.kpj, 100_000)])
    status = membership_status(member, today=date(2026, 7, 3))
    assert status["JHT"].status == ACTIVE
    assert status["JP"].status == NOT_ENROLLED


def test_self_payments_make_no_query_per_row():
    def queries(count):
        members = [MembershipFactory(segment="BPU") for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            post_bpu_payments(period=date(2024, 3, 1), lines=[(m.kpj, 1_000_000) for m in members])
        return len(captured.captured_queries)

    assert queries(2) == queries(40)


# --- several months at once (a payment point's backlog) ------------------------------------------------------------

# BPU, JHT opted, declared income 2,000,000: JHT 2 % = 40,000 a month (JKK 1 % and JKM 6,800 are not savings)
JHT_2M = 40_000


def _account(member):
    account = Account.objects.get(membership=member)
    return account.balance, account.paid_since, account.last_paid_period


def test_months_at_once_end_as_if_posted_one_by_one():
    steady, gappy, late = (MembershipFactory(segment="BPU", jht_opted=True) for _ in range(3))
    post_bpu_payments(period=date(2024, 5, 1), lines=[(late.kpj, 2_000_000)])  # paid before the batch
    lines = [
        *[(steady.kpj, 2_000_000, date(2024, m, 1)) for m in (1, 2, 3, 4)],
        *[(gappy.kpj, 2_000_000, date(2024, m, 1)) for m in (1, 2, 4)],  # March unpaid: a new run from April
        (late.kpj, 2_000_000, date(2024, 4, 1)),  # the month before its paid run: the run now starts in April
        (late.kpj, 2_000_000, date(2024, 2, 1)),
    ]
    results = post_bpu_months(first=date(2024, 1, 1), last=date(2024, 6, 1), lines=lines)
    assert [(r.period, r.rows_total, r.rows_posted) for r in results] == [
        (date(2024, 1, 1), 2, 2),
        (date(2024, 2, 1), 3, 3),
        (date(2024, 3, 1), 1, 1),
        (date(2024, 4, 1), 3, 3),
    ]  # one report per month that has lines: none for May and June
    assert {r.report.kind for r in results} == {WageReport.Kind.SELF_PAYMENT}
    assert _account(steady) == (4 * JHT_2M, date(2024, 1, 1), date(2024, 4, 1))
    assert _account(gappy) == (3 * JHT_2M, date(2024, 4, 1), date(2024, 4, 1))
    assert _account(late) == (3 * JHT_2M, date(2024, 4, 1), date(2024, 5, 1))
    assert Contribution.objects.filter(membership=steady, period=date(2024, 3, 1)).get().jht_worker == JHT_2M


def test_months_at_once_refuse_lines_outside_the_range_and_count_repeats():
    member = MembershipFactory(segment="BPU", jht_opted=True)
    lines = [
        (member.kpj, 2_000_000, date(2024, 1, 1)),
        (member.kpj, 2_000_000, "2024-13"),
        (member.kpj, 2_000_000, date(2024, 3, 1)),
        (member.kpj, 2_000_000, "2024-02"),
        (member.kpj, 2_000_000, date(2024, 2, 1)),
        ("99999999999", 2_000_000, date(2024, 2, 1)),
    ]
    january, february = post_bpu_months(first=date(2024, 1, 1), last=date(2024, 2, 1), lines=lines)
    assert [(e["row"], e["code"]) for e in january.errors] == [(2, "period_invalid"), (3, "period_mismatch")]
    assert (january.rows_total, january.rows_posted, january.rows_rejected) == (3, 1, 2)
    assert [(e["row"], e["code"]) for e in february.errors] == [(6, "unknown_kpj")]
    assert (february.rows_total, february.rows_posted, february.rows_duplicate) == (3, 1, 1)
    again = post_bpu_months(first=date(2024, 1, 1), last=date(2024, 2, 1), lines=lines[:1] + lines[3:4])
    assert [(r.rows_posted, r.rows_duplicate) for r in again] == [(0, 1), (0, 1)]
    assert _account(member) == (2 * JHT_2M, date(2024, 1, 1), date(2024, 2, 1))
    with pytest.raises(DomainError) as refused:
        post_bpu_months(first=date(2024, 2, 1), last=date(2024, 1, 1), lines=[])
    assert refused.value.code == "period_range"


def test_months_at_once_look_each_member_up_once_per_chunk():
    def queries(count):
        members = [MembershipFactory(segment="BPU") for _ in range(count)]
        lines = [(m.kpj, 1_000_000, date(2024, month, 1)) for m in members for month in (1, 2, 3)]
        with CaptureQueriesContext(connection) as captured:
            post_bpu_months(first=date(2024, 1, 1), last=date(2024, 3, 1), lines=lines)
        sql = [query["sql"] for query in captured.captured_queries]
        return len(sql), sum("registry_membership" in text and "kpj" in text for text in sql)

    (few, few_lookups), (many, many_lookups) = queries(2), queries(40)
    assert few == many
    assert few_lookups == many_lookups == 1  # not one a month
