"""The home page's KPJ cards, formatted once in Python (member/home_page.py), show what the template's filters
showed: each year of `yearly_breakdown` and its total in `Rp 1.234.567`, claims negative, dates dd/mm/yyyy, the
phrases in Indonesian and in English; and the page shows those cards as they are."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import lxml.html
import pytest
from django.conf import settings
from django.core.cache.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jaminanku.core.money import format_rupiah
from jaminanku.member import selectors_home
from jaminanku.member.home_page import kpj_cards
from jaminanku.member.selectors import breakdown_total, yearly_breakdown
from jaminanku.member.selectors_hot import overview_for_user, yearly_breakdowns
from jaminanku.member.tests.test_balances_add_up import _rupiah
from jaminanku.news.models import Article
from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
RUPIAH = re.compile(r"^-?Rp \d{1,3}(\.\d{3})*$")


def _cards(user):
    overview = overview_for_user(user)
    return overview, kpj_cards(overview.kpjs, yearly_breakdowns([kpj.membership for kpj in overview.kpjs]))


def test_cards_show_each_year_of_the_breakdown_and_add_up_to_the_balance(claimant):
    user, working, left = claimant
    overview, cards = _cards(user)
    assert [card.kpj for card in cards] == [kpj.membership.kpj for kpj in overview.kpjs]
    for kpj, card in zip(overview.kpjs, cards, strict=True):
        years = yearly_breakdown(kpj.membership)  # the ORM's, which the balance page and the API show
        assert [row.year for row in card.years] == [str(y.year) for y in years]
        for row, year in zip(card.years, years, strict=True):
            cells = [row.employer, row.worker, row.development, row.claims, row.net]
            assert cells == [format_rupiah(v) for v in (year.employer, year.worker, year.development)] + [
                format_rupiah(year.claims),
                format_rupiah(year.net),
            ]
            assert all(RUPIAH.match(cell) for cell in cells), cells
            assert sum(_rupiah(cell) for cell in cells[:4]) == _rupiah(row.net)
        total = breakdown_total(years)
        assert card.total.year == ""
        assert card.total.net == format_rupiah(total.net) == card.balance == format_rupiah(kpj.balance)
        assert sum(_rupiah(row.net) for row in card.years) == kpj.balance
        assert [card.employer, card.worker, card.development, card.claims] == [
            format_rupiah(kpj.employer_total),
            format_rupiah(kpj.worker_total),
            format_rupiah(kpj.development_total),
            format_rupiah(kpj.claims_total),
        ]
        assert card.claims.startswith("-Rp ")  # both KPJs had a claim paid
        assert card.balance_url == f"/saldo/{kpj.membership.kpj}/" and card.claim_url == f"/klaim/{kpj.membership.kpj}/"
    working_card = next(card for card in cards if card.kpj == working.kpj)
    employer = next(kpj.last_employer for kpj in overview.kpjs if kpj.membership.kpj == working.kpj)
    assert working_card.last_paid == f"Iuran terakhir: 12/2025, {employer}."
    assert working_card.active
    since = [program.since for program in working_card.programs if program.since]
    assert since and all(re.fullmatch(r"sejak \d\d/\d\d/\d{4}", text) for text in since)


def test_cards_speak_english_when_the_member_chose_it(claimant):
    user, working, _left = claimant
    with translation.override("en"):
        _overview, cards = _cards(user)
    card = next(card for card in cards if card.kpj == working.kpj)
    assert card.last_paid.startswith("Last contribution: 12/2025, ")
    assert any(re.fullmatch(r"since \d\d/\d\d/\d{4}", program.since) for program in card.programs)
    assert card.balance.startswith("Rp ")  # rupiah look the same in both languages


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("id", ["Per tahun", "Pemberi kerja", "Iuran terakhir: 12/2025", "sejak ", "Rincian saldo per tahun"]),
        ("en", ["By year", "Employer", "Last contribution: 12/2025", "since ", "Balance statement by year"]),
    ],
)
def test_home_page_shows_the_cards_in_the_members_language(client, claimant, language, phrases):
    user, working, _left = claimant
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    for phrase in phrases:
        assert phrase in html, phrase
    page = lxml.html.fromstring(html)
    _overview, cards = _cards(user)
    card = next(card for card in cards if card.kpj == working.kpj)
    section = page.xpath(f'//section[@data-kpj="{working.kpj}"]')[0]
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in section.xpath(".//details/table/tbody/tr")]
    assert rows == [[r.year, r.employer, r.worker, r.development, r.claims, r.net] for r in card.years]
    footer = [td.text_content() for td in section.xpath(".//details/table/tfoot/tr/td")]
    assert footer == [card.total.employer, card.total.worker, card.total.development, card.total.claims, card.total.net]
    assert section.xpath(f'.//a[@href="/saldo/{working.kpj}/"]')


def test_the_per_year_read_of_every_kpj_is_the_breakdown_of_each(claimant, member):
    user, working, left = claimant
    memberships = [working, left, member.membership]
    expected = {m.pk: yearly_breakdown(m) for m in memberships}
    assert all(expected.values())
    assert yearly_breakdowns(memberships) == expected
    assert yearly_breakdowns([]) == {}


@pytest.mark.postgres_only
def test_the_per_year_statement_is_planned_once_per_connection(claimant):
    """Planning it cost five times running it (two grouped scans over every yearly partition)."""
    _user, working, left = claimant
    yearly_breakdowns([working, left])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("EXTRACT" in text and "jhtentry" in text for text in prepared), prepared


def _home(client) -> tuple[str, int]:
    """The home page, and how many statements read the news for it."""
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()
    return html, sum("news_article" in (q["sql"] or "") for q in captured.captured_queries)


def test_the_home_page_reads_the_headlines_at_most_twice_a_minute(client, member, monkeypatch):
    ArticleFactory(title="Iuran JKP kini dibayar pemerintah")
    client.force_login(member.user)
    html, reads = _home(client)
    assert "Iuran JKP kini dibayar pemerintah" in html and reads == 1
    html, reads = _home(client)
    assert "Iuran JKP kini dibayar pemerintah" in html and reads == 0
    # published by another process: no signal reaches this one, which shows it once its half minute is over
    Article.objects.bulk_create([ArticleFactory.build(title="Dari proses lain")])
    assert "Dari proses lain" not in _home(client)[0]
    later = time.time() + selectors_home.HEADLINES_SECONDS + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    html, reads = _home(client)
    assert "Dari proses lain" in html and reads == 1


def test_an_article_saved_or_deleted_here_shows_on_the_home_page_at_once(client, member):
    client.force_login(member.user)
    first = ArticleFactory(title="Berita pertama")
    assert "Berita pertama" in _home(client)[0]
    ArticleFactory(title="Berita kedua")
    assert "Berita kedua" in _home(client)[0]
    first.delete()
    html, reads = _home(client)
    assert "Berita pertama" not in html and reads == 1


def test_a_year_rows_cells_are_its_texts_escaped_in_order():
    from jaminanku.member.home_page import YearRow

    row = YearRow("2025", "Rp 1.000", "<b>x</b>", "Rp 3", "-Rp 4", "a & b")
    cells = lxml.html.fromstring(f"<table><tr>{row.cells}</tr></table>").xpath("//td")
    assert [td.text_content() for td in cells] == ["2025", "Rp 1.000", "<b>x</b>", "Rp 3", "-Rp 4", "a & b"]
    assert [td.get("class") for td in cells] == [None, "num", "num", "num", "num", "num"]
    assert "<b>" not in row.cells
