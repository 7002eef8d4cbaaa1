"""Calculator page: works without logging in, shows results, and bad input gets a message, not a 500."""

from datetime import date

import lxml.html
import pytest
from django.utils import timezone

from jaminanku.contributions.models import WageCap

pytestmark = pytest.mark.django_db


def test_contribution_calculator_shows_shares(client):
    html = client.get(
        "/kalkulator/", {"hitung": "iuran", "iuran-wage": "5000000", "iuran-risk_class": "1"}
    ).content.decode()
    assert "Rp 185.000" in html and "Rp 100.000" in html  # JHT 3.7 % and 2 %


def _jp_cap_note(client, wage: int) -> str:
    html = client.get("/kalkulator/", {"hitung": "iuran", "iuran-wage": str(wage), "iuran-risk_class": "1"}).content
    return " ".join(lxml.html.fromstring(html).xpath('//*[@data-testid="jp-cap-note"]')[0].text_content().split())


def test_contribution_note_names_the_jp_cap_in_force_not_the_wage(client):
    cap = WageCap.objects.filter(program="JP", segment="PU", kind="cap", effective_from__lte=timezone.localdate())
    in_force = cap.order_by("-effective_from").first().amount
    shown = f"Rp {in_force:,}".replace(",", ".")
    below = _jp_cap_note(client, 5_000_000)
    assert f"tidak melebihi batas upah JP yang berlaku ({shown})" in below and "Rp 5.000.000" not in below
    above = _jp_cap_note(client, in_force + 1_000_000)
    assert f"dihitung dari {shown}, batas upah JP yang berlaku" in above
    WageCap.objects.create(
        program="JP",
        segment="PU",
        kind="cap",
        amount=4_000_000,
        effective_from=timezone.localdate().replace(day=1),
        source="test: a lower cap from this month",
    )
    assert "dihitung dari Rp 4.000.000, batas upah JP yang berlaku" in _jp_cap_note(client, 5_000_000)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "on Rp 4.000.000, the JP wage cap in force" in _jp_cap_note(client, 5_000_000)


def test_projection_draws_a_table_and_a_chart(client):
    html = client.get(
        "/kalkulator/",
        {
            "hitung": "jht",
            "jht-balance": "0",
            "jht-wage": "5000000",
            "jht-growth": "0",
            "jht-years": "3",
            "jht-rate": "5",
        },
    ).content.decode()
    chart = html.split('<svg class="bars"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<rect ") == 3 and "style=" not in chart  # one bar per year; no inline style (the CSP)


@pytest.mark.parametrize("wage", ["abc", "-5", "", "9" * 40, "1e9", "<script>"])
def test_bad_wage_is_a_form_error(client, wage):
    response = client.get("/kalkulator/", {"hitung": "jkm", "jkm-wage": wage})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_calculator_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/kalkulator/", {"hitung": "jp", "jp-months": "180", "jp-wage": "5000000"}).content.decode()
    assert "Monthly pension" in html and "Rp 750.000" in html


def test_calculators_are_prefilled_from_the_logged_in_members_record(client):
    from jaminanku.contributions.tests.helpers import month
    from jaminanku.member.tests.conftest import make_member

    member = make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)], wage=6_000_000)
    anonymous = client.get("/kalkulator/").content.decode()
    assert 'value="6000000"' not in anonymous
    client.force_login(member.user)
    page = client.get("/kalkulator/").content.decode()
    assert 'name="iuran-wage" value="6000000"' in page and 'name="jkm-wage" value="6000000"' in page
    assert 'name="jht-balance" value="4104000"' in page  # 12 × 5.7 % of Rp6,000,000
    assert 'name="jp-months" value="12"' in page
