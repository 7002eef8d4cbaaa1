"""The member's months of contributions, on the balance page and in the API: each month marked paid on time, paid
late (days after its due date) or unpaid past its due date (RULES.md due dates)."""

from __future__ import annotations

from datetime import date

import pytest

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.selfpay import post_bpu_payments
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.member.tests.conftest import PASSWORD
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _account(membership, n: int):
    return create_account_for_demo(
        person=membership.person, email=f"bulan{n}@contoh.id", phone=f"08120000{n:04d}", password=PASSWORD
    )


@pytest.fixture
def worker():
    """Employed since 01/2024: January paid on its due date, February 5 days late, nothing since."""
    membership = pu_member()
    company = employer()
    EmploymentFactory(membership=membership, employer=company, start=date(2024, 1, 1))
    import_wage_lines(
        npp=company.npp, period=month(2024, 1), lines=[line(membership, 4_000_000)], paid_on=date(2024, 2, 15)
    )
    import_wage_lines(
        npp=company.npp, period=month(2024, 2), lines=[line(membership, 4_000_000)], paid_on=date(2024, 3, 20)
    )
    return membership, _account(membership, 1)


def _row(page: str, period: str) -> str:
    return page.split(f"<td>{period}</td>", 1)[1].split("</tr>", 1)[0]


def test_balance_page_marks_months_paid_on_time_late_and_unpaid(client, worker):
    membership, user = worker
    client.force_login(user)
    page = client.get(f"/saldo/{membership.kpj}/", {"tahun": 2024}).content.decode()
    assert "Iuran per bulan 2024" in page
    january, february, march = _row(page, "01/2024"), _row(page, "02/2024"), _row(page, "03/2024")
    assert "15/02/2024" in january and "Dibayar tepat waktu" in january
    # due 15/03/2024, paid 20/03/2024
    assert "15/03/2024" in february and "20/03/2024" in february
    assert "Dibayar terlambat" in february and "5 hari" in february
    # due 16/04/2024 (the 15th was cuti bersama), never paid
    assert "16/04/2024" in march and "Belum dibayar" in march
    assert "Belum dibayar" in _row(page, "12/2024")


def test_api_lists_the_months_of_a_year_with_their_payment(client, worker):
    membership, user = worker
    headers = {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}
    response = client.get(f"/api/v1/me/kpj/{membership.kpj}/months", {"year": 2024}, headers=headers)
    assert response.status_code == 200
    months = response.json()
    assert len(months) == 12
    assert months[0] == {
        "period": "2024-01-01",
        "due_date": "2024-02-15",
        "paid_on": "2024-02-15",
        "state": "on_time",
        "label": "Dibayar tepat waktu",
        "days_late": 0,
    }
    assert (months[1]["state"], months[1]["paid_on"], months[1]["days_late"]) == ("late", "2024-03-20", 5)
    assert (months[2]["state"], months[2]["due_date"], months[2]["paid_on"]) == ("unpaid", "2024-04-16", None)
    other = pu_member()
    assert client.get(f"/api/v1/me/kpj/{other.kpj}/months", headers=headers).status_code == 404
    assert client.get(f"/api/v1/me/kpj/{membership.kpj}/months", {"year": 12}, headers=headers).status_code == 422


def test_a_self_paying_member_owes_from_the_first_month_paid_by_the_15th_of_that_month(client):
    membership = MembershipFactory(segment="BPU", jht_opted=True)
    post_bpu_payments(period=month(2024, 3), lines=[(membership.kpj, 2_000_000)], paid_on=date(2024, 3, 14))
    post_bpu_payments(period=month(2024, 5), lines=[(membership.kpj, 2_000_000)], paid_on=date(2024, 5, 20))
    user = _account(membership, 2)
    headers = {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}
    months = client.get(f"/api/v1/me/kpj/{membership.kpj}/months", {"year": 2024}, headers=headers).json()
    assert [(m["period"], m["due_date"], m["state"], m["days_late"]) for m in months[:3]] == [
        ("2024-03-01", "2024-03-15", "on_time", 0),
        ("2024-04-01", "2024-04-16", "unpaid", 0),  # the 15th was cuti bersama
        ("2024-05-01", "2024-05-15", "late", 5),
    ]
    assert len(months) == 10  # March to December
