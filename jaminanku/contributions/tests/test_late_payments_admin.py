"""Late payments in the back office, over HTTP: each wage report's due date, day paid, lateness and fine (list and
upload summary), and the branch-scoped, audited list of employers in arrears."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jaminanku.audit.models import AuditEvent
from jaminanku.contributions.arrears import last_overdue_period, months_owed
from jaminanku.contributions.due import wage_report_due_date
from jaminanku.contributions.imports import import_wage_lines
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.periods import add_months, month_start
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.offices.models import EmployerBranch, Office
from jaminanku.registry.tests.factories import EmploymentFactory
from jaminanku.staff.tests.helpers import login_with_role

pytestmark = pytest.mark.django_db


def _served_by(company, office):
    """The employer, with the branch that looks after it."""
    EmployerBranch.objects.create(employer=company, office=office)
    return company


def _csv(company, member, period: str = "2024-03") -> SimpleUploadedFile:
    content = (
        "npp,period,kpj,nik,name,wage\n"
        f"{company.npp},{period},{member.kpj},{member.person.nik},{member.person.full_name},4000000\n"
    )
    return SimpleUploadedFile("laporan.csv", content.encode(), content_type="text/csv")


def test_upload_summary_shows_due_date_day_paid_lateness_and_fine(staff_client):
    company, member = employer(), pu_member()
    # 03/2024 is due 16/04/2024 (the 15th is cuti bersama); paid the 17th: 1 day, 1 month, 2 % of Rp369.600
    response = staff_client.post(
        "/admin/contributions/wagereport/upload/", {"file": _csv(company, member), "paid_on": "17/04/2024"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "16/04/2024" in page and "17/04/2024" in page
    assert "Terlambat 1 hari (1 bulan)" in page
    assert "Rp 369.600" in page and "Rp 7.392" in page
    report = WageReport.objects.get()
    assert (report.paid_on, report.late_fine) == (date(2024, 4, 17), 7_392)


def test_upload_without_a_day_paid_is_paid_today_and_a_future_day_is_refused(staff_client):
    company, member = employer(), pu_member()
    future = add_months(timezone.localdate(), 2)
    response = staff_client.post(
        "/admin/contributions/wagereport/upload/", {"file": _csv(company, member), "paid_on": f"{future:%d/%m/%Y}"}
    )
    assert response.status_code == 200
    assert "Tanggal bayar tidak boleh sesudah hari ini." in response.content.decode()
    assert not WageReport.objects.exists()
    response = staff_client.post("/admin/contributions/wagereport/upload/", {"file": _csv(company, member)})
    assert response.status_code == 200
    assert WageReport.objects.get().paid_on == timezone.localdate()
    bad = staff_client.post(
        "/admin/contributions/wagereport/upload/", {"file": _csv(company, member), "paid_on": "31/02/2024"}
    )
    assert bad.status_code == 200 and WageReport.objects.count() == 1


def test_wage_report_list_shows_lateness_and_filters_late_reports(staff_client):
    company = employer()
    on_time, late = pu_member(), pu_member()
    import_wage_lines(
        npp=company.npp, period=month(2024, 1), lines=[line(on_time, 4_000_000)], paid_on=date(2024, 2, 15)
    )
    import_wage_lines(npp=company.npp, period=month(2024, 2), lines=[line(late, 4_000_000)], paid_on=date(2024, 5, 1))
    page = staff_client.get("/admin/contributions/wagereport/").content.decode()
    assert "Tepat waktu" in page
    # 02/2024 due 15/03/2024, paid 01/05/2024: 47 days, 2 months begun: 4 % of Rp369.600
    assert "Terlambat 47 hari (2 bulan)" in page and "Rp 14.784" in page
    assert "15/03/2024" in page and "01/05/2024" in page
    late_only = staff_client.get("/admin/contributions/wagereport/", {"pembayaran": "terlambat"}).content.decode()
    january, february = 'field-period_month">01/2024<', 'field-period_month">02/2024<'
    assert february in late_only and january not in late_only
    on_time_only = staff_client.get("/admin/contributions/wagereport/", {"pembayaran": "tepat"}).content.decode()
    assert january in on_time_only and february not in on_time_only


def _office(code: str, name: str) -> Office:
    return Office.objects.create(code=code, name=name, kind="kc", province_id="32", time_zone="Asia/Jakarta")


def test_arrears_list_shows_employers_owing_months_past_due_for_the_officers_branch(client, django_user_model):
    bandung, bogor = _office("KC3273", "Kantor Cabang Bandung"), _office("KC3201", "Kantor Cabang Bogor")
    overdue = last_overdue_period(timezone.localdate())
    started = add_months(overdue, -5)
    owing = _served_by(employer(name="PT Menunggak Jaya"), bandung)
    paying = _served_by(employer(name="PT Tertib Bayar"), bandung)
    elsewhere = _served_by(employer(name="PT Cabang Lain"), bogor)
    fined = _served_by(employer(name="PT Pernah Telat"), bandung)
    for company in (owing, paying, elsewhere, fined):
        member = pu_member()
        EmploymentFactory(membership=member, employer=company, start=started)
        months = {owing: 2, paying: 6, elsewhere: 0, fined: 6}[company]
        for offset in range(months):
            period = add_months(started, offset)
            # on its due date, except the fined employer's first month: paid on the 1st two months on, half a
            # month after its due date (the 15th of the next month or a few days later): 1 month begun, 2 %
            paid_on = wage_report_due_date(period)
            if company is fined and offset == 0:
                paid_on = month_start(add_months(period, 2))
            import_wage_lines(npp=company.npp, period=period, lines=[line(member, 4_000_000)], paid_on=paid_on)
    login_with_role(client, django_user_model, "Petugas cabang", bandung)

    page = client.get("/admin/contributions/employerarrears/").content.decode()
    assert "PT Menunggak Jaya" in page
    assert "PT Tertib Bayar" not in page and "PT Pernah Telat" not in page
    assert "PT Cabang Lain" not in page  # another branch's employer
    owed = months_owed(last_paid_period=add_months(started, 1), open_since=started)
    assert owed is not None and owed.count == 4
    assert f"4 ({owed.first:%m/%Y}–{overdue:%m/%Y})" in page
    assert f"{owed.first_due_date:%d/%m/%Y}" in page
    event = AuditEvent.objects.filter(action="view_list", object_type="contributions.EmployerArrears").get()
    assert event.actor.username == "Petugas_cabang"

    fines = client.get("/admin/contributions/employerarrears/", {"keadaan": "denda"}).content.decode()
    # paid 2 months after its due month began: due the 15th (or later), paid the 1st two months on: 1 month begun
    assert "PT Pernah Telat" in fines and "Rp 7.392" in fines
    assert "PT Menunggak Jaya" not in fines and "PT Tertib Bayar" not in fines
    every = client.get("/admin/contributions/employerarrears/", {"keadaan": "semua"}).content.decode()
    assert all(name in every for name in ("PT Menunggak Jaya", "PT Tertib Bayar", "PT Pernah Telat"))
    assert "PT Cabang Lain" not in every
    # a filter value no list knows, with a NUL that PostgreSQL cannot store in the audit record: the default list
    odd = client.get("/admin/contributions/employerarrears/", {"keadaan": "x\x00y"})
    assert odd.status_code == 200 and "PT Menunggak Jaya" in odd.content.decode()


def test_a_supervisor_sees_every_branchs_employers_in_arrears(staff_client):
    bogor = _office("KC3201", "Kantor Cabang Bogor")
    company = _served_by(employer(name="PT Cabang Lain"), bogor)
    EmploymentFactory(membership=pu_member(), employer=company, start=date(2024, 1, 1))
    page = staff_client.get("/admin/contributions/employerarrears/").content.decode()
    assert "PT Cabang Lain" in page


def test_finance_officer_without_a_branch_sees_no_employers(client, django_user_model):
    company = _served_by(employer(name="PT Menunggak Jaya"), _office("KC3273", "Kantor Cabang Bandung"))
    EmploymentFactory(membership=pu_member(), employer=company, start=date(2024, 1, 1))
    login_with_role(client, django_user_model, "Keuangan")
    response = client.get("/admin/contributions/employerarrears/")
    assert response.status_code == 200 and "PT Menunggak Jaya" not in response.content.decode()
