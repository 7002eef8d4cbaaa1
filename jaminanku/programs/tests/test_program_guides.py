"""Each program page answers what a member asks — who is covered, what it pays and when, the rates, how to claim,
the legal basis — with the rates read from the rate table rows (a changed row changes the page) and the program's
calculator working on the page itself."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from django.db.models import Q
from django.utils import timezone

from jaminanku.contributions.models import ContributionRate
from jaminanku.contributions.periods import month_end
from jaminanku.programs.models import BenefitFigure

pytestmark = pytest.mark.django_db

PROGRAMS = ["JHT", "JKK", "JKM", "JP", "JKP"]
SECTIONS = ["peserta", "manfaat", "tarif", "klaim", "dasar-hukum"]
# the calculator form each page must carry
CALCULATOR_OF = {"JHT": "jht", "JKK": "iuran", "JKM": "jkm", "JP": "jp", "JKP": "jkp"}


def _page(client, code: str, **query: str) -> lxml.html.HtmlElement:
    response = client.get(f"/program/{code}/", query)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _rates_in_force(program: str, day: date) -> list[ContributionRate]:
    last_day = month_end(day)
    return list(
        ContributionRate.objects.filter(program=program, effective_from__lte=last_day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=last_day)
        )
    )


def _percent(rate_ppm: int) -> str:
    """Worked out apart from the app: 37000 ppm is 3.7 %, written `3,7%` in Indonesian."""
    return f"{rate_ppm / 10_000:g}".replace(".", ",") + "%"


@pytest.mark.parametrize("code", PROGRAMS)
def test_program_page_has_every_section_and_its_calculator(client, code):
    page = _page(client, code)
    for key in SECTIONS:
        [section] = page.xpath(f'//section[@id="{key}"]')
        assert section.xpath("./h2") and len(_text(section)) > len(_text(section.xpath("./h2")[0])) + 40, key
    legal = _text(page.xpath('//section[@id="dasar-hukum"]')[0])
    assert "PP " in legal
    assert page.xpath('//section[@id="klaim"]//ul/li')  # the documents to bring
    assert len(_text(page.xpath("//main")[0] if page.xpath("//main") else page)) > 1500
    prefix = CALCULATOR_OF[code]
    calculator = page.xpath(f'//*[@id="kalkulator"]//form[.//input[@name="hitung"][@value="{prefix}"]]')
    assert calculator and calculator[0].xpath(f'.//input[@name="{prefix}-wage"]')


@pytest.mark.parametrize("code", PROGRAMS)
def test_rate_table_on_the_page_is_the_rate_rows_in_force(client, code):
    rows = _rates_in_force(code, timezone.localdate())
    assert rows
    shown = [
        [_text(cell) for cell in row.xpath("./td")]
        for row in _page(client, code).xpath('//table[@class="rates"]/tbody/tr')
    ]
    assert len(shown) == len(rows)
    for rate in rows:
        rate_text = _percent(rate.rate_ppm) if rate.rate_ppm else f"Rp {rate.flat_amount:,} sebulan".replace(",", ".")
        matching = [
            cells
            for cells in shown
            if cells[0].endswith(f"({rate.segment})")
            and cells[2] == rate_text
            and (rate.risk_class is None or f"kelas risiko {rate.risk_class}" in cells[1])
        ]
        assert matching, (rate, shown)


def test_a_changed_rate_row_changes_the_page_and_its_calculator(client):
    jkm = ContributionRate.objects.get(program="JKM", party="employer", segment="PU", effective_to__isnull=True)
    assert "0,3%" in _text(_page(client, "JKM").xpath('//table[@class="rates"]')[0])
    jkm.rate_ppm = 3_100  # 0.31 %
    jkm.save()
    page = _page(client, "JKK", hitung="iuran", **{"iuran-wage": "10000000", "iuran-risk_class": "1"})
    assert "0,31%" in _text(_page(client, "JKM").xpath('//table[@class="rates"]')[0])
    result = {
        _text(row.xpath("./th")[0]): _text(row.xpath("./td")[0])
        for row in page.xpath('//*[@id="kalkulator"]//section[@id="iuran"]//table//tr')
    }
    assert result["JKM"] == "Rp 31.000"  # 0.31 % of Rp10,000,000, on the program's own page


def test_jp_calculator_answers_on_the_jp_page(client):
    page = _page(client, "JP", hitung="jp", **{"jp-months": "180", "jp-wage": "5000000"})
    # 1 % × 180/12 × 12 × Rp5,000,000 = Rp9,000,000 a year, Rp750,000 a month
    assert "Rp 750.000" in _text(page.xpath('//*[@id="kalkulator"]')[0])
    assert "errorlist" not in lxml.html.tostring(page).decode()


def test_program_page_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _page(client, "JHT")
    headings = [_text(h) for h in page.xpath("//section/h2")]
    assert {"Who is covered", "What it pays and when", "Contributions", "How to claim", "Legal basis"} <= set(headings)
    assert "3.7%" in _text(page.xpath('//table[@class="rates"]')[0])
    assert "Savings for old age" in _text(page)


def _rows(table: lxml.html.HtmlElement) -> dict[str, str]:
    return {_text(row.xpath("./th")[0]): _text(row.xpath("./td")[0]) for row in table.xpath(".//tr")}


def test_jkp_calculator_answers_on_the_jkp_page_from_the_benefit_figures(client):
    query = {"hitung": "jkp", "jkp-wage": "8000000"}
    result = _rows(_page(client, "JKP", **query).xpath('//*[@id="kalkulator"]//section[@id="jkp"]//table')[0])
    # the wage is taken up to the JKP wage cap of Rp5,000,000; 60 % of it a month, for 6 months
    assert result["Upah yang dihitung"] == "Rp 5.000.000"
    assert result["Uang tunai sebulan (60% upah)"] == "Rp 3.000.000"
    assert result["Jumlah untuk 6 bulan"] == "Rp 18.000.000"
    BenefitFigure.objects.filter(name="jkp_cash_percent").update(amount=50)
    page = _page(client, "JKP", **query)
    assert _rows(page.xpath('//section[@id="jkp"]//table')[0])["Uang tunai sebulan (50% upah)"] == "Rp 2.500.000"
    assert "Uang tunai 50% dari upah terakhir" in _text(page.xpath('//section[@id="manfaat"]')[0])
