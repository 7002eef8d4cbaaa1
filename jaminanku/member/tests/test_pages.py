"""Member self-service over HTTP: home with balance and status, per-year detail, the statement PDF, claim
eligibility, the card (screen, PNG with a QR that verifies, PDF), the same over the API, and no way to reach
another member's data by changing the KPJ in an address."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
import zxingcpp
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.contributions.tests.helpers import month
from jaminanku.member import selectors_hot
from jaminanku.member.tests.conftest import make_member

pytestmark = pytest.mark.django_db
BALANCE = "Rp 3.420.000"  # 12 months × JHT 5.7 % of Rp5,000,000


def _pdf_text(tmp_path, body: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(body)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    assert (tmp_path / "p-1.png").stat().st_size > 1000
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_home_shows_balance_breakdown_and_status_of_every_kpj(client, member):
    client.force_login(member.user)
    page = client.get("/").content.decode()
    assert BALANCE in page and member.kpj in page
    assert "Rp 2.220.000" in page and "Rp 1.200.000" in page  # employer 3.7 % and worker 2 %, 12 months
    for program in ("JHT", "JKK", "JKM", "JP", "JKP"):
        assert f"<th>{program}</th>" in page
    assert "Iuran terakhir: 12/2025" in page
    years = page.split('<details class="years">', 1)[1].split("</details>", 1)[0]
    assert "<td>2025</td>" in years and "Rp 2.220.000" in years  # the per-year split
    assert "Data per" in page


def test_home_costs_the_same_queries_for_one_month_and_forty_years(client):
    short = make_member(start=date(2026, 10, 1), months=[month(2026, 10)])
    long_ = make_member(
        start=date(1994, 1, 1),
        months=[month(y, m) for y in range(1994, 2027) for m in range(1, 13) if month(y, m) <= month(2026, 10)],
        wage=4_000_000,
    )
    assert long_.membership.contributions.count() > 380

    def queries(member) -> int:
        client.force_login(member.user)
        client.get("/")  # the headlines, the same for every member, are read at most twice a minute
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    assert queries(short) == queries(long_)


def test_balance_page_lists_each_year_and_its_entries(client, member):
    client.force_login(member.user)
    page = client.get(f"/saldo/{member.kpj}/").content.decode()
    assert "2025" in page and "12/2025" in page and BALANCE in page
    assert client.get(f"/saldo/{member.kpj}/?tahun=abc").status_code == 200  # junk year: the latest year


def test_statement_pdf_for_all_years_and_one_year(client, member, tmp_path):
    client.force_login(member.user)
    response = client.get(f"/saldo/{member.kpj}/rincian-saldo.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(tmp_path, response.content)
    assert "Rincian Saldo JHT" in text and BALANCE in text
    assert member.membership.person.nik not in text
    one_year = client.get(f"/saldo/{member.kpj}/rincian-saldo.pdf?tahun=2025")
    assert "rincian-saldo" in one_year["Content-Disposition"] and "2025" in one_year["Content-Disposition"]


def test_claim_page_says_why_an_active_worker_cannot_claim(client, member):
    client.force_login(member.user)
    page = client.get(f"/klaim/{member.kpj}/").content.decode()
    assert "seluruh saldo" not in page
    assert "masih aktif bekerja" in page
    assert "Klaim penuh dapat diajukan mulai" in page  # at 56, from the date of birth


def test_card_page_png_decodes_to_a_genuine_card_and_pdf_downloads(client, member, tmp_path):
    client.force_login(member.user)
    page = client.get("/kartu/").content.decode()
    assert f"/kartu/{member.kpj}.png" in page and f"/kartu/{member.kpj}.pdf" in page
    image = client.get(f"/kartu/{member.kpj}.png")
    assert image["Content-Type"] == "image/png"
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))
    assert len(codes) == 1 and "/verify/" in codes[0].text
    verify_path = "/verify/" + codes[0].text.split("/verify/", 1)[1]
    client.logout()
    verified = client.get(verify_path)
    assert verified.status_code == 200 and member.kpj in verified.content.decode()
    client.force_login(member.user)
    pdf = client.get(f"/kartu/{member.kpj}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and member.kpj in _pdf_text(tmp_path, pdf.content)


def test_pages_ask_anonymous_visitors_to_log_in(client, member):
    for path in ("/kartu/", f"/kartu/{member.kpj}.png", f"/saldo/{member.kpj}/", f"/klaim/{member.kpj}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/"), path


def test_staff_login_without_member_data_gets_a_plain_refusal(client):
    client.force_login(User.objects.create_user("petugas", password="x-Very-Long-99"))
    response = client.get("/kartu/")
    assert response.status_code == 403 and "Bukan akun peserta" in response.content.decode()


def test_member_cannot_reach_another_members_data_by_any_url(client, member, other_member):
    client.force_login(member.user)
    theirs = other_member.kpj
    for path in (
        f"/saldo/{theirs}/",
        f"/saldo/{theirs}/rincian-saldo.pdf",
        f"/saldo/{theirs}/rincian-saldo.pdf?tahun=2024",
        f"/klaim/{theirs}/",
        f"/kartu/{theirs}.png",
        f"/kartu/{theirs}.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert theirs not in client.get("/").content.decode()
    assert theirs not in client.get("/kartu/").content.decode()


def _api(client, member, path: str):
    token = issue_api_token(user=member.user, label="test")
    return client.get(f"/api/v1/me{path}", headers={"Authorization": f"Bearer {token}"})


def test_api_balance_years_statement_and_eligibility(client, member):
    body = _api(client, member, "/balance").json()
    assert body["total_balance"] == 3_420_000
    [kpj] = body["kpjs"]
    assert kpj["kpj"] == member.kpj and kpj["employer_total"] == 2_220_000 and kpj["worker_total"] == 1_200_000
    assert set(kpj["status"]["programs"]) == {"JHT", "JKK", "JKM", "JP", "JKP"}
    years = _api(client, member, f"/kpj/{member.kpj}/years").json()
    assert years == [
        {"year": 2025, "employer": 2_220_000, "worker": 1_200_000, "development": 0, "claims": 0, "net": 3_420_000}
    ]
    statement = _api(client, member, f"/kpj/{member.kpj}/statement?year=2025").json()
    assert len(statement["lines"]) == 12 and statement["closing"] == 3_420_000
    assert _api(client, member, f"/kpj/{member.kpj}/statement?year=99999").status_code == 422
    pdf = _api(client, member, f"/kpj/{member.kpj}/statement.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    answer = _api(client, member, f"/kpj/{member.kpj}/eligibility").json()
    # still working: no full claim, only the partial ones after ten years of membership, and the reason says so
    assert answer["full"] is False and "still_active" in answer["reason_codes"] and answer["reasons"]
    assert {o["kind"] for o in answer["options"]} <= {"partial_10", "partial_30"}
    grounds = {"partial_10": "preparation", "partial_30": "housing"}
    for option in answer["options"]:  # why each may be claimed, and where
        assert option["ground"] == grounds[option["kind"]] and option["channels"] == ["online", "branch"]
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    ref = schemas["EligibilityOut"]["properties"]["options"]["items"]["$ref"]  # its own shape, not the claims API's
    option_schema = schemas[ref.rsplit("/", 1)[1]]
    assert set(option_schema["properties"]) == {"kind", "ground", "channels", "percent", "gross", "tax", "net", "text"}
    assert option_schema["properties"]["channels"]["type"] == "array" and "ground" in option_schema["required"]


def test_api_balance_costs_one_statement_and_a_staff_token_still_gets_not_a_member(client, member, django_user_model):
    """The hot read of the mobile app (bench/README.md, reads; issue 27): the token, the member's profile and
    person, the KPJs with their accounts and latest employment and the pension-age table in one statement
    (member/selectors_hot.py) — and a login without a member profile is still refused, not mistaken for a member."""
    headers = {"Authorization": f"Bearer {issue_api_token(user=member.user, label='test')}"}
    assert client.get("/api/v1/me/balance", headers=headers).status_code == 200  # first use writes last_used_at
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/me/balance", headers=headers).json()
    assert body["total_balance"] == 3_420_000 and body["full_name"] == member.membership.person.full_name
    assert len(captured) == 1
    # psycopg keeps no text for a statement it ran prepared (PostgreSQL, settings.DATABASE_PREPARED_STATEMENTS)
    statement = captured[0]["sql"] or selectors_hot._sql()
    for table in ("accounts_apitoken", "registry_person", "registry_membership", "contributions_pensionage"):
        assert f'"{table}"' in statement

    staff = django_user_model.objects.create_user("petugas", "p@example.com", "a-long-password-1", is_staff=True)
    staff_headers = {"Authorization": f"Bearer {issue_api_token(user=staff, label='test')}"}
    response = client.get("/api/v1/me/balance", headers=staff_headers)
    assert response.status_code == 403 and response.json()["code"] == "not_a_member"


def test_api_card_token_verifies_and_images_download(client, member):
    card = _api(client, member, f"/kpj/{member.kpj}/card").json()
    assert card["kpj"] == member.kpj and "nik" not in card
    verified = client.get(f"/api/v1/card/verify/{card['token']}").json()
    assert verified["genuine"] is True and verified["kpj"] == member.kpj
    png = _api(client, member, f"/kpj/{member.kpj}/card.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert _api(client, member, f"/kpj/{member.kpj}/card.pdf").content.startswith(b"%PDF")


def test_api_never_serves_another_members_kpj(client, member, other_member):
    theirs = other_member.kpj
    for suffix in ("years", "statement", "statement.pdf", "eligibility", "card", "card.png", "card.pdf"):
        response = _api(client, member, f"/kpj/{theirs}/{suffix}")
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "kpj_not_found"
    assert client.get("/api/v1/me/balance").status_code == 401


def test_service_worker_is_served_from_the_root_with_the_offline_pages(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert '"/kartu/"' in body and "caches.open" in body


def test_home_shows_the_latest_published_headlines_only(client, member):
    from datetime import timedelta

    from django.utils import timezone

    from jaminanku.news.tests.factories import ArticleFactory

    ArticleFactory(title="Iuran JKP kini dibayar pemerintah")
    ArticleFactory(title="Berita yang dijadwalkan", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(member.user)
    page = client.get("/").content.decode()
    assert "Iuran JKP kini dibayar pemerintah" in page and "Berita yang dijadwalkan" not in page


def test_api_answers_with_the_members_data_are_never_cached_and_public_ones_may_be(client, member):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=member.user, label='test')}"}
    for path in ("/api/v1/me/balance", f"/api/v1/me/kpj/{member.membership.kpj}/years", "/api/v1/accounts/sessions"):
        response = client.get(path, **headers)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store", path
    assert "no-store" not in client.get("/api/v1/news").get("Cache-Control", "")
