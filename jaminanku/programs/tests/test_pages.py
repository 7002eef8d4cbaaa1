"""Program pages show figures from the data tables, never retyped, and staff edits are new versions."""

from datetime import date

import pytest

from jaminanku.contributions.models import WageCap
from jaminanku.programs.models import ProgramText

pytestmark = pytest.mark.django_db


def test_every_program_has_a_page(client):
    for code in ["JHT", "JKK", "JKM", "JP", "JKP"]:
        assert client.get(f"/program/{code}/").status_code == 200
    assert client.get("/program/XYZ/").status_code == 404


def test_jp_page_shows_the_cap_in_force_from_the_table(client):
    html = client.get("/program/JP/").content.decode()
    cap = WageCap.objects.filter(program="JP", kind="cap", segment="PU").order_by("-effective_from").first()
    assert f"Rp {cap.amount:,}".replace(",", ".") in html
    WageCap.objects.create(
        program="JP",
        segment="PU",
        kind="cap",
        amount=12_345_600,
        effective_from=date.today().replace(day=1),
        source="test: new cap",
    )
    assert "Rp 12.345.600" in client.get("/program/JP/").content.decode()


def test_jkm_total_comes_from_benefit_figures(client):
    assert "Rp 42.000.000" in client.get("/program/JKM/").content.decode()


def test_a_new_version_replaces_the_text_and_keeps_history(client):
    versions = ProgramText.objects.filter(program="JKP", language="id").count()
    ProgramText.objects.create(program="JKP", language="id", title="JKP baru", body="Teks baru {jp_max}.")
    html = client.get("/program/JKP/").content.decode()
    assert "JKP baru" in html and "{jp_max}" not in html
    assert ProgramText.objects.filter(program="JKP", language="id").count() == versions + 1


def test_english_page_falls_back_to_indonesian_when_missing(client):
    ProgramText.objects.filter(program="JP", language="en").delete()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Old-age savings" in client.get("/program/JHT/").content.decode()
    assert "Jaminan Pensiun" in client.get("/program/JP/").content.decode()
