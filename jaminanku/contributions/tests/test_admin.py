"""Back office: rate tables editable and audited, ledgers read-only and searchable, the upload page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jaminanku.audit.models import AuditEvent
from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.models import Contribution, DevelopmentRate, WageReport
from jaminanku.contributions.tests.helpers import employer, line, pu_member

pytestmark = pytest.mark.django_db


def test_every_model_list_page_opens(staff_client):
    company, member = employer(), pu_member(person__full_name="Siti Rahayu")
    import_wage_lines(npp=company.npp, period=date(2024, 3, 1), lines=[line(member, 4_000_000)])
    for model in [
        "contributionrate",
        "wagecap",
        "developmentrate",
        "pensionage",
        "account",
        "contribution",
        "jhtentry",
        "creditingrun",
        "wagereport",
        "archivedyeartotal",
    ]:
        assert staff_client.get(f"/admin/contributions/{model}/").status_code == 200, model
    for term in [member.kpj, member.person.nik, "Rahayu"]:
        page = staff_client.get("/admin/contributions/account/", {"q": term}).content.decode()
        assert member.kpj in page, term
    page = staff_client.get("/admin/contributions/contribution/", {"q": company.npp}).content.decode()
    assert member.kpj in page


def test_ledger_is_read_only(staff_client):
    assert staff_client.get("/admin/contributions/jhtentry/add/").status_code == 403
    assert staff_client.get("/admin/contributions/contribution/add/").status_code == 403


def test_staff_edit_of_a_development_rate_is_audited(staff_client):
    rate = DevelopmentRate.objects.get(year=2024)
    response = staff_client.post(
        f"/admin/contributions/developmentrate/{rate.pk}/change/",
        {"year": 2024, "rate_ppm": 68_000, "source": "Pengumuman resmi", "assumed": ""},
    )
    assert response.status_code == 302
    rate.refresh_from_db()
    assert (rate.rate_ppm, rate.assumed) == (68_000, False)
    event = AuditEvent.objects.get(action="change", object_type="contributions.DevelopmentRate")
    assert event.after["rate_ppm"] == 68_000


def test_upload_page_imports_and_shows_row_errors(staff_client):
    company, member = employer(), pu_member()
    content = (
        "npp,period,kpj,nik,name,wage\n"
        f"{company.npp},2024-03,{member.kpj},{member.person.nik},{member.person.full_name},4000000\n"
        f"{company.npp},2024-03,99999999999,3201011705900001,Tak Dikenal,4000000\n"
    ).encode()
    assert staff_client.get("/admin/contributions/wagereport/upload/").status_code == 200
    response = staff_client.post(
        "/admin/contributions/wagereport/upload/",
        {"file": SimpleUploadedFile("maret.csv", content, content_type="text/csv")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nomor KPJ tidak terdaftar" in page
    assert Contribution.objects.count() == 1
    report = WageReport.objects.get()
    assert report.imported_by.username == "supervisor"
    detail = staff_client.get(f"/admin/contributions/wagereport/{report.pk}/change/").content.decode()
    assert "99999999999" in detail and "Nomor KPJ tidak terdaftar" in detail
    assert AuditEvent.objects.filter(action="import_wage_report", actor__username="supervisor").exists()


def test_upload_page_shows_a_file_error(staff_client):
    response = staff_client.post(
        "/admin/contributions/wagereport/upload/",
        {"file": SimpleUploadedFile("x.csv", b"kpj,wage\n1,2\n", content_type="text/csv")},
    )
    assert "Kolom wajib tidak ada" in response.content.decode()
    assert not WageReport.objects.exists()


@pytest.mark.parametrize(
    ("program", "party", "message"),
    [
        ("JKM", "worker", "bertumpang tindih"),  # the Rp6,800 row from 2015 is still in force
        ("JKP", "employer", "tidak berlaku untuk program"),  # JKP is never paid by the employer
    ],
)
def test_rate_rows_that_would_make_the_schedule_ambiguous_are_refused(staff_client, program, party, message):
    response = staff_client.post(
        "/admin/contributions/contributionrate/add/",
        {
            "program": program,
            "party": party,
            "segment": "BPU",
            "rate_ppm": 0,
            "flat_amount": 7_000,
            "effective_from": "01/01/2026",
            "source": "uji",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
