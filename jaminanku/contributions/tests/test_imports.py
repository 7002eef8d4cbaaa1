"""Wage-report import: valid rows post, bad rows are refused with row number and reason, nothing posts twice,
employment is derived from the reports, and the work is set-based."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaminanku.contributions.imports import WageLine, import_month, import_wage_lines
from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import Account, Contribution, JhtEntry, WageReport
from jaminanku.contributions.selectors import ACTIVE, NON_ACTIVE, jht_balance_for, membership_status
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Employment
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

MARCH_2024 = date(2024, 3, 1)


def test_first_report_posts_and_opens_employment_from_the_first_of_the_period():
    company = employer(risk_class=2)
    member = pu_member()
    result = import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(member, 5_000_000)])
    assert (result.rows_total, result.rows_posted, result.rows_rejected, result.rows_duplicate) == (1, 1, 0, 0)
    contribution = Contribution.objects.get()
    assert contribution.jkk == 27_000  # 5,000,000 × 0.54 %
    assert contribution.report == result.report
    employment = Employment.objects.get(membership=member)
    assert (employment.employer, employment.start, employment.end) == (company, MARCH_2024, None)
    # JHT 185,000 + 100,000
    assert jht_balance_for(member) == 285_000
    account = Account.objects.get(membership=member)
    assert (account.employer_total, account.worker_total) == (185_000, 100_000)
    assert (account.last_paid_period, account.paid_since, account.last_employer) == (MARCH_2024, MARCH_2024, company)
    # the contribution is the account's ledger line: no entry repeats it, and the balance is the sum of its lines
    assert not JhtEntry.objects.exists()
    assert find_unreconciled_accounts() == []


def test_second_import_of_same_report_posts_nothing():
    company = employer()
    members = [pu_member() for _ in range(3)]
    lines = [line(m, 4_000_000) for m in members]
    first = import_wage_lines(npp=company.npp, period=MARCH_2024, lines=lines)
    balances = {m.kpj: jht_balance_for(m) for m in members}
    second = import_wage_lines(npp=company.npp, period=MARCH_2024, lines=lines)
    assert first.rows_posted == 3
    assert (second.rows_posted, second.rows_duplicate, second.rows_rejected) == (0, 3, 0)
    assert Contribution.objects.count() == 3
    assert not JhtEntry.objects.exists()
    assert {m.kpj: jht_balance_for(m) for m in members} == balances
    report = WageReport.objects.get(pk=second.report.pk)
    assert (report.rows_total, report.rows_duplicate) == (3, 3)


def test_same_kpj_twice_in_one_report_posts_once():
    company = employer()
    member = pu_member()
    result = import_wage_lines(
        npp=company.npp, period=MARCH_2024, lines=[line(member, 4_000_000), line(member, 4_000_000)]
    )
    assert (result.rows_posted, result.rows_duplicate) == (1, 1)


def test_bad_rows_are_reported_by_row_number_and_good_rows_post():
    company = employer()
    other_company = employer()
    good = [pu_member() for _ in range(2)]
    bpu = MembershipFactory(segment="BPU")
    elsewhere = pu_member()
    EmploymentFactory(membership=elsewhere, employer=other_company, start=date(2020, 1, 1))
    left = pu_member()
    EmploymentFactory(
        membership=left, employer=company, start=date(2020, 1, 1), end=date(2024, 1, 31), end_reason="resignation"
    )
    renamed = pu_member(person__full_name="Siti Rahayu")
    lines = [
        line(good[0], 5_000_000, row=2),
        WageLine(kpj="99999999999", nik="3201011705900001", name="Tak Dikenal", wage=5_000_000, row_number=3),
        line(good[1], "5.000.000", row=4),  # Indonesian thousands separators are fine
        WageLine(kpj=renamed.kpj, nik="3201011705909999", name="Siti Rahayu", wage=5_000_000, row_number=5),
        WageLine(kpj=renamed.kpj, nik=renamed.person.nik, name="Siti Rahmawati", wage=5_000_000, row_number=6),
        line(pu_member(), "lima juta", row=7),
        line(pu_member(), -5, row=8),
        line(bpu, 5_000_000, row=9),
        line(left, 5_000_000, row=10),
        line(elsewhere, 5_000_000, row=11),
        line(pu_member(), 5_000_000, npp=other_company.npp, row=12),
        line(pu_member(), 5_000_000, period="2024-04", row=13),
        line(pu_member(), 5_000_000, period="03/2024", row=14),
    ]
    result = import_wage_lines(npp=company.npp, period=MARCH_2024, lines=lines)
    codes = [(e["row"], e["code"]) for e in result.errors]
    assert codes == [
        (3, "unknown_kpj"),
        (5, "nik_mismatch"),
        (6, "name_mismatch"),
        (7, "wage_invalid"),
        (8, "wage_invalid"),
        (9, "not_pu"),
        (10, "employment_ended"),
        (11, "other_employer"),
        (12, "npp_mismatch"),
        (13, "period_mismatch"),
        (14, "period_invalid"),
    ]
    assert other_company.npp in result.errors[7]["reason"]
    assert all(e["reason"] for e in result.errors)
    assert (result.rows_total, result.rows_posted, result.rows_rejected) == (13, 2, 11)
    assert set(Contribution.objects.values_list("membership__kpj", flat=True)) == {good[0].kpj, good[1].kpj}
    stored = WageReport.objects.get(pk=result.report.pk)
    assert stored.errors == result.errors
    # a refused row changes nothing: no account, no employment
    assert not Account.objects.filter(membership=elsewhere).exists()
    assert Employment.objects.filter(membership=elsewhere).count() == 1


def test_name_matches_after_normalisation():
    company = employer()
    member = pu_member(person__full_name="Budi Santoso")
    result = import_wage_lines(
        npp=company.npp,
        period=MARCH_2024,
        lines=[WageLine(kpj=member.kpj, nik=member.person.nik, name="  BUDI  santoso. ", wage=4_000_000)],
    )
    assert result.rows_posted == 1


def test_future_period_is_refused():
    company = employer()
    result = import_wage_lines(npp=company.npp, period=date(2099, 1, 1), lines=[line(pu_member(), 4_000_000)])
    assert [e["code"] for e in result.errors] == ["period_future"]


def test_unknown_npp_for_a_single_report_is_an_error():
    with pytest.raises(DomainError) as err:
        import_wage_lines(npp="12345678", period=MARCH_2024, lines=[])
    assert err.value.code == "unknown_npp"


def test_mid_month_job_change_with_new_kpj_posts_both_and_sets_status():
    person = PersonFactory()
    company_a, company_b = employer(), employer()
    kpj_a = MembershipFactory(person=person)
    kpj_b = MembershipFactory(person=person)
    import_wage_lines(
        npp=company_a.npp,
        period=date(2026, 2, 1),
        lines=[line(kpj_a, 6_000_000, employment_start="01/06/2021")],
    )
    march = date(2026, 3, 1)
    a = import_wage_lines(
        npp=company_a.npp,
        period=march,
        lines=[line(kpj_a, 6_000_000, employment_end="15/03/2026", end_reason="resignation")],
    )
    b = import_wage_lines(
        npp=company_b.npp, period=march, lines=[line(kpj_b, 7_000_000, employment_start="2026-03-16")]
    )
    assert (a.rows_posted, b.rows_posted) == (1, 1)
    employment_a = Employment.objects.get(membership=kpj_a)
    assert (employment_a.start, employment_a.end, employment_a.end_reason) == (
        date(2021, 6, 1),
        date(2026, 3, 15),
        "resignation",
    )
    assert Employment.objects.get(membership=kpj_b).start == date(2026, 3, 16)
    on_15th = membership_status(kpj_a, today=date(2026, 3, 15))
    assert on_15th["JHT"].status == ACTIVE
    status_a = membership_status(kpj_a, today=date(2026, 3, 16))
    for program in ("JHT", "JKK", "JKM", "JP", "JKP"):
        assert (status_a[program].status, status_a[program].since) == (NON_ACTIVE, date(2026, 3, 16))
    status_b = membership_status(kpj_b, today=date(2026, 3, 16))
    assert (status_b.status, status_b.since) == (ACTIVE, date(2026, 3, 16))
    # April: A's employment ended before the period
    april = import_wage_lines(npp=company_a.npp, period=date(2026, 4, 1), lines=[line(kpj_a, 6_000_000)])
    assert [e["code"] for e in april.errors] == ["employment_ended"]


def test_same_kpj_moving_employer_in_one_month_posts_both():
    member = pu_member()
    company_a, company_b = employer(), employer()
    EmploymentFactory(membership=member, employer=company_a, start=date(2020, 1, 1))
    # the B row comes first in the file; the A row that closes the employment is still applied first
    results = import_month(
        period=MARCH_2024,
        lines=[
            line(member, 7_000_000, npp=company_b.npp, row=1),
            line(member, 6_000_000, npp=company_a.npp, row=2, employment_end="15/03/2024", end_reason="dismissal"),
        ],
    )
    assert sorted((r.npp, r.rows_posted) for r in results) == sorted([(company_a.npp, 1), (company_b.npp, 1)])
    new = Employment.objects.get(membership=member, employer=company_b)
    assert (new.start, new.end) == (date(2024, 3, 16), None)
    # JHT: 6,000,000 × 5.7 % + 7,000,000 × 5.7 % = 342,000 + 399,000
    assert jht_balance_for(member) == 741_000


def test_import_month_makes_one_report_per_employer_and_reports_unknown_npp():
    companies = [employer(risk_class=r) for r in (1, 3, 5)]
    lines = []
    for number, company in enumerate(companies):
        for _ in range(number + 1):
            lines.append(line(pu_member(), 5_000_000, npp=company.npp))
    lines.append(line(pu_member(), 5_000_000, npp="87654321"))
    results = {r.npp: r for r in import_month(period=MARCH_2024, lines=lines)}
    assert {npp: r.rows_posted for npp, r in results.items()} == {
        companies[0].npp: 1,
        companies[1].npp: 2,
        companies[2].npp: 3,
        "87654321": 0,
    }
    assert results["87654321"].errors[0]["code"] == "unknown_npp"
    assert results["87654321"].errors[0]["row"] == 7
    assert WageReport.objects.filter(period=MARCH_2024).count() == 4
    # risk class 5: 5,000,000 × 1.74 % = 87,000 each
    assert set(Contribution.objects.filter(employer=companies[2]).values_list("jkk", flat=True)) == {87_000}


def test_jp_stops_at_pension_age():
    company = employer()
    # born 10/01/1966: 57 on 31/12/2023 (pension age 58 in 2022–2024) → JP; 58 on 31/01/2024 → no JP
    member = pu_member(person__date_of_birth=date(1966, 1, 10))
    import_wage_lines(npp=company.npp, period=date(2023, 12, 1), lines=[line(member, 5_000_000)])
    import_wage_lines(npp=company.npp, period=date(2024, 1, 1), lines=[line(member, 5_000_000)])
    jp = dict(Contribution.objects.values_list("period", "jp_employer"))
    assert jp == {date(2023, 12, 1): 100_000, date(2024, 1, 1): 0}


def _queries_for(rows: int) -> int:
    company = employer()
    members = [pu_member() for _ in range(rows)]
    with CaptureQueriesContext(connection) as queries:
        result = import_month(period=MARCH_2024, lines=[line(m, 4_000_000, npp=company.npp) for m in members])
    assert result[0].rows_posted == rows
    return len(queries.captured_queries)


def test_import_makes_no_query_per_row():
    assert _queries_for(3) == _queries_for(60)


def test_consecutive_months_keep_paid_since_and_back_fill_joins_runs():
    company = employer()
    member = pu_member()
    for period in (date(2024, 1, 1), date(2024, 3, 1), date(2024, 4, 1)):
        import_wage_lines(
            npp=company.npp, period=period, lines=[line(member, 4_000_000, employment_start="01/01/2024")]
        )
    account = Account.objects.get(membership=member)
    assert (account.paid_since, account.last_paid_period) == (date(2024, 3, 1), date(2024, 4, 1))
    import_wage_lines(npp=company.npp, period=date(2024, 2, 1), lines=[line(member, 4_000_000)])
    account.refresh_from_db()
    assert (account.paid_since, account.last_paid_period) == (date(2024, 1, 1), date(2024, 4, 1))
    # 4 months × 4,000,000 × 5.7 %
    assert account.balance == 4 * 228_000


def test_a_rate_changed_between_two_imports_applies_to_the_second():
    """Contribution lines are remembered across imports in one process: by the rate schedule's content, so a
    rate staff change before the next import is never served from memory."""
    from jaminanku.contributions.models import ContributionRate

    company = employer(risk_class=2)
    first, second = pu_member(), pu_member()
    import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(first, 5_000_000)])
    ContributionRate.objects.filter(segment="PU", program="JKK", risk_class=2).update(rate_ppm=6_000)

    import_wage_lines(npp=company.npp, period=MARCH_2024, lines=[line(second, 5_000_000)])

    jkk = dict(Contribution.objects.values_list("membership_id", "jkk"))
    assert (jkk[first.id], jkk[second.id]) == (27_000, 30_000)  # 5,000,000 × 0.54 %, then × 0.60 %
