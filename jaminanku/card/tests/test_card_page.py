"""The card page writes what each card says beside its image: a screen reader, a search or a copy-paste gets the
member's name, KPJ and status even where the image does not load."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html

from jaminanku.contributions.tests.helpers import month
from jaminanku.member.tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _card_rows(page: bytes, kpj: str) -> dict[str, str]:
    card = html.fromstring(page).xpath(f'//*[@data-testid="card-{kpj}"]')
    assert card, f"no card for {kpj}"
    return {row.findtext("th").strip(): row.find("td").text_content().strip() for row in card[0].iter("tr")}


def test_card_page_states_name_kpj_segment_programs_and_status_as_text(client):
    member = make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)])
    client.force_login(member.user)
    rows = _card_rows(client.get("/kartu/").content, member.kpj)
    assert rows == {
        "Nama": member.membership.person.full_name,
        "No. KPJ": member.kpj,
        "Segmen": "Penerima Upah (PU)",
        "Program": "JHT, JKK, JKM, JP, JKP",
        "Status": "Aktif",
    }


def test_card_page_says_non_active_once_the_job_has_ended(client):
    member = make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)])
    member.membership.employments.update(end=date(2025, 12, 31), end_reason="resignation")
    client.force_login(member.user)
    assert _card_rows(client.get("/kartu/").content, member.kpj)["Status"] == "Non-aktif"
