"""Wage-report files: CSV and XLSX, the import command, and file-level errors."""

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from jaminanku.audit.models import AuditEvent
from jaminanku.contributions.files import import_wage_report_file
from jaminanku.contributions.models import Contribution, WageReport
from jaminanku.contributions.selectors import jht_balance_for
from jaminanku.contributions.tests.helpers import employer, pu_member
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Employment

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return employer(risk_class=3)


def test_import_command_on_a_csv_file(tmp_path, company, capsys):
    good, leaver = pu_member(), pu_member()
    path = tmp_path / "upah-2024-03.csv"
    path.write_text(
        "NPP,Period,KPJ,NIK,Name,Wage,Employment_Start,Employment_End,End_Reason\n"
        f"{company.npp},2024-03,{good.kpj},{good.person.nik},{good.person.full_name},5000000,01/02/2019,,\n"
        f"{company.npp},2024-03,{leaver.kpj},{leaver.person.nik},{leaver.person.full_name},4000000,,"
        "20/03/2024,resignation\n"
        f"{company.npp},2024-03,{good.kpj}9,{good.person.nik},{good.person.full_name},5000000,,,\n",
        encoding="utf-8",
    )
    call_command("import_wage_report", str(path))
    out = capsys.readouterr().out
    assert "3 baris, 2 dibukukan, 0 duplikat, 1 ditolak" in out
    assert "baris 4:" in out  # the header is line 1
    assert Employment.objects.get(membership=good).start == date(2019, 2, 1)
    ended = Employment.objects.get(membership=leaver)
    assert (ended.start, ended.end, ended.end_reason) == (date(2024, 3, 1), date(2024, 3, 20), "resignation")
    report = WageReport.objects.get()
    assert (report.filename, len(report.sha256)) == ("upah-2024-03.csv", 64)
    assert AuditEvent.objects.filter(action="import_wage_report", object_id=str(report.pk)).exists()
    # 5,000,000 × 5.7 %
    assert jht_balance_for(good) == 285_000
    call_command("import_wage_report", str(path))
    assert "0 dibukukan, 2 duplikat, 1 ditolak" in capsys.readouterr().out
    assert Contribution.objects.count() == 2


def test_semicolon_csv_with_columns_in_any_order(tmp_path, company):
    member = pu_member()
    path = tmp_path / "laporan.csv"
    path.write_text(
        "\ufeffwage;name;kpj;nik;period;npp\n"
        f"5.000.000;{member.person.full_name};{member.kpj};{member.person.nik};2024-03;{company.npp}\n",
        encoding="utf-8",
    )
    result = import_wage_report_file(path_or_file=path, filename="laporan.csv")
    assert result.rows_posted == 1


def test_xlsx_file_with_numeric_and_date_cells(tmp_path, company):
    members = [pu_member(), pu_member()]
    book = Workbook()
    sheet = book.active
    sheet.append(["npp", "period", "kpj", "nik", "name", "wage", "employment_start"])
    sheet.append(
        [
            int(company.npp),
            "2024-03",
            int(members[0].kpj),
            int(members[0].person.nik),
            members[0].person.full_name,
            5_000_000,
            datetime(2020, 1, 6),
        ]
    )
    sheet.append(
        [
            company.npp,
            datetime(2024, 3, 1),
            members[1].kpj,
            members[1].person.nik,
            members[1].person.full_name,
            4_500_000.0,
            None,
        ]
    )
    sheet.append([company.npp, "2024-03", members[1].kpj, members[1].person.nik, "Orang Lain", 4_500_000, None])
    path = tmp_path / "upah.xlsx"
    book.save(path)
    result = import_wage_report_file(path_or_file=path, filename="upah.xlsx")
    assert (result.rows_posted, result.rows_rejected) == (2, 1)
    assert result.errors[0]["row"] == 4
    assert result.errors[0]["code"] == "name_mismatch"
    assert Employment.objects.get(membership=members[0]).start == date(2020, 1, 6)
    # 4,500,000 × 3.7 % = 166,500 and × 0.89 % = 40,050
    c = Contribution.objects.get(membership=members[1])
    assert (c.jht_employer, c.jkk) == (166_500, 40_050)


def test_missing_columns_is_a_file_error(tmp_path, company):
    path = tmp_path / "salah.csv"
    path.write_text("npp,kpj,wage\n12345678,10000000001,5000000\n", encoding="utf-8")
    with pytest.raises(DomainError) as err:
        import_wage_report_file(path_or_file=path)
    assert err.value.code == "missing_columns"
    assert "period" in str(err.value.message)


def test_import_command_fails_for_an_unreadable_file(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_wage_report", str(tmp_path / "tidak-ada.csv"))
