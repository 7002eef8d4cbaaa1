"""The member's balance overview, per-year breakdown and statement reconcile exactly with the ledger, and the
overview costs the same number of queries for one month or forty years of history."""

import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaminanku.contributions.services import credit_development, import_month, post_jht_claim, reverse_contribution
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.member.selectors import member_overview, statement, yearly_breakdown
from jaminanku.member.statement_pdf import statement_pdf
from jaminanku.registry.models import Employer
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _post(membership, npp, periods, wage=5_000_000):
    for period in periods:
        import_month(period=period, lines=[line(membership, wage, npp=npp)])


@pytest.fixture
def worker():
    """Two KPJs of one person: an old job (2023) and the current one (2024–)."""
    old = pu_member()
    new = MembershipFactory(person=old.person, segment="PU")
    a, b = employer(risk_class=1), employer(risk_class=2)
    EmploymentFactory(
        membership=old, employer=a, start=date(2023, 1, 1), end=date(2023, 12, 31), end_reason="resignation"
    )
    EmploymentFactory(membership=new, employer=b, start=date(2024, 1, 1))
    _post(old, a.npp, [month(2023, m) for m in range(1, 13)])
    _post(new, b.npp, [month(2024, m) for m in range(1, 4)])
    return old, new


def test_overview_lists_every_kpj_and_totals_match_the_accounts(worker):
    old, new = worker
    overview = member_overview(old.person, today=date(2024, 4, 15))
    assert {k.membership.kpj for k in overview.kpjs} == {old.kpj, new.kpj}
    # JHT on Rp5,000,000: employer 3.7 % = 185,000 and worker 2 % = 100,000 a month.
    by_kpj = {k.membership.kpj: k for k in overview.kpjs}
    assert by_kpj[old.kpj].balance == 12 * 285_000
    assert by_kpj[new.kpj].employer_total == 3 * 185_000 and by_kpj[new.kpj].worker_total == 3 * 100_000
    assert overview.total_balance == 15 * 285_000
    assert by_kpj[old.kpj].status.status == "non_active" and by_kpj[new.kpj].status.status == "active"
    assert overview.latest.membership == new and overview.latest.last_period == month(2024, 3)


def test_breakdown_and_statement_reconcile_after_development_and_a_claim(worker):
    old, _ = worker
    credit_development(year=2023)
    post_jht_claim(membership=old, amount=1_000_000, paid_on=date(2024, 3, 10), reason="uji")
    account = old.jht_account
    account.refresh_from_db()
    years = yearly_breakdown(old)
    assert sum(y.net for y in years) == account.balance
    assert sum(y.development for y in years) == account.development_total > 0
    assert [y.claims for y in years if y.year == 2024] == [-1_000_000]

    full = statement(old)
    assert full.opening == 0 and full.closing == account.balance
    assert full.total("employer") == account.employer_total and full.total("claim") == account.claims_total
    year_2024 = statement(old, year=2024)
    assert year_2024.opening == statement(old, year=2023).closing
    assert year_2024.closing == account.balance


def test_statement_lines_contributions_and_entries_in_date_order(worker):
    _old, new = worker
    # a claim dated the first of April, the same day as April's contribution, and March reversed afterwards
    _post(new, Employer.objects.get(employments__membership=new).npp, [month(2024, 4)])
    post_jht_claim(membership=new, amount=100_000, paid_on=date(2024, 4, 1), reason="uji")
    reverse_contribution(contribution=new.contributions.get(period=month(2024, 3)), reason="upah salah")
    lines = statement(new, year=2024).lines
    assert [(line.value_date, line.kind, line.amount, line.balance) for line in lines] == [
        (month(2024, 1), "contribution", 285_000, 285_000),
        (month(2024, 2), "contribution", 285_000, 570_000),
        (month(2024, 3), "contribution", 285_000, 855_000),
        (month(2024, 3), "reversal", -285_000, 570_000),
        (month(2024, 4), "contribution", 285_000, 855_000),
        (month(2024, 4), "claim", -100_000, 755_000),
    ]
    assert lines[0].note == "01/2024" and lines[0].kind_label == "iuran"
    assert (lines[0].employer, lines[0].worker) == (185_000, 100_000)
    assert (lines[3].note, lines[3].employer, lines[3].worker) == ("upah salah", -185_000, -100_000)
    [year] = yearly_breakdown(new)
    assert (year.year, year.employer, year.worker, year.claims, year.net) == (2024, 555_000, 300_000, -100_000, 755_000)
    new.jht_account.refresh_from_db()
    assert new.jht_account.balance == 755_000


def test_statement_pdf_reads_back_with_masked_nik(worker, tmp_path):
    old, _ = worker
    pdf = tmp_path / "rincian.pdf"
    pdf.write_bytes(statement_pdf(statement(old), printed_on=date(2024, 4, 15)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rincian Saldo JHT" in text and old.kpj in text
    assert old.person.nik not in text and old.person.nik[:4] + "********" in text
    assert "Rp 3.420.000" in text  # 12 × 285,000, the closing balance
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 1000


def _overview_queries(person):
    with CaptureQueriesContext(connection) as queries:
        member_overview(person, today=date(2026, 11, 24))
    return len(queries)


def test_overview_costs_the_same_for_one_month_and_forty_years():
    short, long_ = pu_member(), pu_member()
    firm = employer()
    EmploymentFactory(membership=short, employer=firm, start=date(2026, 10, 1))
    EmploymentFactory(membership=long_, employer=firm, start=date(1986, 11, 1))
    _post(short, firm.npp, [month(2026, 10)])
    for year in range(1986, 2027):
        lines = [line(long_, 4_000_000, npp=firm.npp)]
        for m in range(1, 13):
            if date(1986, 11, 1) <= month(year, m) <= month(2026, 10):
                import_month(period=month(year, m), lines=lines)
    assert long_.contributions.count() > 400  # decades of months (rate tables start in the 1990s)
    assert _overview_queries(short.person) == _overview_queries(long_.person)
