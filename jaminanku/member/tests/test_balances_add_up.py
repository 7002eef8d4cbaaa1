"""Every balance figure a member is shown adds up where it is shown, claims included: the home page's balance cards
and per-year tables, the per-year table of /saldo/<kpj>/, and the same figures in the API. The member has one KPJ
with a paid partial claim (still working) and one emptied by a full claim after leaving a job."""

from __future__ import annotations

import lxml.html
import pytest

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.claims.models import JhtClaim
from jaminanku.registry.models import Membership

pytestmark = pytest.mark.django_db


def _rupiah(text: str) -> int:
    """`Rp 1.234.567` or `-Rp 28.500` as an int."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    assert "Rp" in text, text
    return sign * int(text.lstrip("-").removeprefix("Rp").strip().replace(".", ""))


def _figures(cells: list[lxml.html.HtmlElement]) -> list[int]:
    return [_rupiah(cell.text_content()) for cell in cells]


def _balance(membership: Membership) -> int:
    membership.jht_account.refresh_from_db()
    return membership.jht_account.balance


def _check_years_table(table: lxml.html.HtmlElement) -> tuple[list[int], int]:
    """Each year's parts add up to its total and the years to the footer; returns the footer (parts, total)."""
    headers = [th.text_content() for th in table.xpath("./thead/tr/th")]
    assert headers[1:] == ["Pemberi kerja", "Pekerja", "Pengembangan", "Klaim", "Jumlah"]
    rows = [_figures(row.xpath("./td")[1:]) for row in table.xpath("./tbody/tr")]
    assert rows
    for *parts, total in rows:
        assert sum(parts) == total
    *footer_parts, footer_total = _figures(table.xpath("./tfoot/tr/td"))
    assert footer_parts == [sum(column) for column in list(zip(*rows, strict=True))[:4]]
    assert footer_total == sum(row[-1] for row in rows) == sum(footer_parts)
    return footer_parts, footer_total


def _check_api_adds_up(client, user, balance: int) -> None:
    """The same figures over the API: each KPJ's parts add up to its balance, and its years to the same."""
    headers = {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}
    body = client.get("/api/v1/me/balance", headers=headers).json()
    parts = ("employer_total", "worker_total", "development_total", "claims_total")
    assert body["total_balance"] == sum(body[part] for part in parts) == balance
    for kpj in body["kpjs"]:
        assert kpj["balance"] == sum(kpj[part] for part in parts)
        assert kpj["claims_total"] < 0
        years = client.get(f"/api/v1/me/kpj/{kpj['kpj']}/years", headers=headers).json()
        for year in years:
            assert year["net"] == year["employer"] + year["worker"] + year["development"] + year["claims"]
        assert sum(year["net"] for year in years) == kpj["balance"]
        assert sum(year["claims"] for year in years) == kpj["claims_total"]


def test_home_and_api_balances_add_up_claims_included(client, claimant):
    check_home_and_api_add_up(client, claimant)


def check_home_and_api_add_up(client, claimant) -> None:
    """The home page's and the API's figures of the `claimant` fixture's two KPJs add up, claims included."""
    user, working, left = claimant
    claims = {c.membership_id: c.gross for c in JhtClaim.objects.all()}
    client.force_login(user)
    page = lxml.html.fromstring(client.get("/").content)

    overview = page.xpath('//section[contains(@class, "balance")]')[0]
    lines = _figures(overview.xpath(".//table//td"))
    assert _rupiah(overview.xpath('.//*[@data-testid="total-balance"]')[0].text_content()) == sum(lines)

    for membership in (working, left):
        card = page.xpath(f'//section[@data-kpj="{membership.kpj}"]')[0]
        balance = _rupiah(card.xpath('./p[@class="total"]')[0].text_content())
        assert balance == _balance(membership)
        *contributions_and_development, claim = _figures(card.xpath("./table[1]//td"))
        assert claim == -claims[membership.pk]  # the claims line is there, negative
        assert sum(contributions_and_development) + claim == balance
        footer_parts, footer_total = _check_years_table(card.xpath('.//details[@class="years"]/table')[0])
        assert footer_total == balance and footer_parts == [*contributions_and_development, claim]
    assert _balance(left) == 0

    # the year the partial claim was paid shows it in the claims column
    working_years = page.xpath(f'//section[@data-kpj="{working.kpj}"]//details/table/tbody/tr')
    year_2026 = [row for row in working_years if row.xpath("./td")[0].text_content() == "2026"]
    assert _figures(year_2026[0].xpath("./td")[1:]) == [0, 0, 0, -claims[working.pk], -claims[working.pk]]

    _check_api_adds_up(client, user, _balance(working) + _balance(left))


def test_balance_page_year_table_adds_up_to_the_balance(client, claimant):
    user, working, _left = claimant
    client.force_login(user)
    page = lxml.html.fromstring(client.get(f"/saldo/{working.kpj}/").content)
    _parts, total = _check_years_table(page.xpath('//table[@class="years"]')[0])
    assert total == _balance(working)
