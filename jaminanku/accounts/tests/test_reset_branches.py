"""Account-reset requests go to the branch serving the person (the regency of their address, else of their NIK;
else a branch in the province), and a branch officer works only their own branch's requests; a supervisor
works every branch's. Decisions stay audited whoever makes them."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from jaminanku.accounts.models import AccountResetRequest
from jaminanku.accounts.recovery import resets
from jaminanku.accounts.tests.helpers import make_worker, walk
from jaminanku.audit.models import AuditEvent
from jaminanku.offices.models import Office
from jaminanku.offices.selectors import serving_office
from jaminanku.staff.models import StaffPost

pytestmark = pytest.mark.django_db
URL = "/admin/accounts/accountresetrequest/"


def _office(code: str, regency: str | None, *, kind: str = "kc", active: bool = True) -> Office:
    province = (regency or code[-4:])[:2]
    return Office.objects.create(
        code=code, name=f"Kantor {code}", kind=kind, province_id=province, regency_id=regency, active=active
    )


@pytest.fixture
def offices():
    """Bogor (3201) and Bandung (3273) in Jawa Barat, Surabaya (3578) in Jawa Timur."""
    return {
        "bogor": _office("KC3201", "3201"),
        "bandung": _office("KC3273", "3273"),
        "surabaya": _office("KC3578", "3578"),
    }


def _person(*, district: str | None, n: int = 1):
    # the NIK says the KTP was issued in Kabupaten Bogor (3201); the address may say otherwise
    worker = make_worker(full_name=f"Peserta {n}", date_of_birth=date(1990, 1, n), sex="M", kpj=f"6000000000{n}")
    worker.person.district_id = district
    worker.person.save(update_fields=["district"])
    assert worker.person.nik.startswith("3201")
    return worker


def test_the_address_regency_decides_the_branch(offices):
    assert serving_office(_person(district="327301").person) == offices["bandung"]


def test_without_an_address_the_nik_regency_decides(offices):
    assert serving_office(_person(district=None).person) == offices["bogor"]


def test_a_regency_without_an_active_branch_falls_back_to_a_branch_in_the_province(offices):
    offices["bandung"].active = False
    offices["bandung"].save()
    _office("KW32", "3273", kind="kanwil")  # a regional office does not serve members
    # Bandung has no active branch: the first active non-regional office in Jawa Barat
    assert serving_office(_person(district="327301").person) == offices["bogor"]


def test_a_small_branch_serves_its_regency_when_there_is_no_full_branch(offices):
    cianjur = _office("KCP3203", "3203", kind="kcp")
    worker = _person(district=None)
    worker.person.nik = "3203" + worker.person.nik[4:]
    worker.person.save(update_fields=["nik"])
    assert serving_office(worker.person) == cianjur


def test_no_office_in_the_province_means_no_branch(offices):
    worker = _person(district="357801")
    Office.objects.filter(province_id="35").update(active=False)
    assert serving_office(worker.person) is None


def _filed(registered, district: str, email: str) -> AccountResetRequest:
    person = registered.worker.person
    person.district_id = district
    person.save(update_fields=["district"])
    flow = walk(registered.worker, email=email, phone="081311112222")
    return resets.request_account_reset(flow=flow, contact_email=email, contact_phone="081311112222")


def test_a_request_is_filed_with_the_branch_serving_the_person(registered, offices):
    reset = _filed(registered, "357801", "budi.baru@example.com")
    assert reset.office == offices["surabaya"]


def _other_branch_request(office: Office) -> AccountResetRequest:
    worker = _person(district=None, n=2)
    return AccountResetRequest.objects.create(
        tracking_number="RA-BBBBB-22222",
        person=worker.person,
        contact_email="peserta2@example.com",
        contact_phone="+6281290000002",
        received_at=timezone.now(),
        due_on=timezone.localdate(),
        office=office,
    )


def _officer(client, django_user_model, office: Office, name: str = "petugas_bdg"):
    user = django_user_model.objects.create_user(name, password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Petugas cabang"))
    StaffPost.objects.create(user=user, office=office)
    client.force_login(user)
    return user


def test_a_branch_officer_sees_and_decides_only_their_branch_requests(client, django_user_model, offices):
    bandung = AccountResetRequest.objects.create(
        tracking_number="RA-AAAAA-11111",
        person=_person(district="327301").person,
        contact_email="peserta1@example.com",
        contact_phone="+6281290000001",
        received_at=timezone.now(),
        due_on=timezone.localdate(),
        office=offices["bandung"],
    )
    surabaya = _other_branch_request(offices["surabaya"])
    _officer(client, django_user_model, offices["bandung"])

    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert bandung.tracking_number in html and surabaya.tracking_number not in html
    assert client.get(f"{URL}{surabaya.pk}/change/").status_code in (302, 404)

    # an action naming the other branch's request leaves it alone
    client.post(URL, {"action": "approve_requests", "_selected_action": [surabaya.pk]})
    surabaya.refresh_from_db()
    assert surabaya.status == "received"

    response = client.post(URL, {"action": "approve_requests", "_selected_action": [bandung.pk]})
    assert response.status_code == 302
    bandung.refresh_from_db()
    assert bandung.status == "approved" and bandung.decided_by.username == "petugas_bdg"
    event = AuditEvent.objects.get(action="accounts.reset_approved")
    assert event.actor_label == "petugas_bdg" and event.object_id == str(bandung.pk)


def test_a_branch_officer_rejects_with_a_reason_and_it_is_audited(client, django_user_model, offices):
    surabaya = _other_branch_request(offices["surabaya"])
    _officer(client, django_user_model, offices["surabaya"], name="petugas_sby")
    done = client.post(
        URL, {"action": "reject_requests", "_selected_action": [surabaya.pk], "apply": "1", "reason": "KTP beda."}
    )
    assert done.status_code == 302
    surabaya.refresh_from_db()
    assert (surabaya.status, surabaya.reject_reason) == ("rejected", "KTP beda.")
    event = AuditEvent.objects.get(action="accounts.reset_rejected", object_id=str(surabaya.pk))
    assert event.actor_label == "petugas_sby"


def test_an_officer_without_a_post_sees_no_requests(client, django_user_model, offices):
    reset = _other_branch_request(offices["surabaya"])
    user = django_user_model.objects.create_user("tanpa_pos", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Petugas cabang"))
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200 and reset.tracking_number not in page.content.decode()


def test_a_supervisor_sees_every_branch_and_requests_without_a_branch(client, django_user_model, offices):
    surabaya = _other_branch_request(offices["surabaya"])
    bandung = AccountResetRequest.objects.create(
        tracking_number="RA-CCCCC-33333",
        person=_person(district="327301", n=3).person,
        contact_email="peserta3@example.com",
        contact_phone="+6281290000003",
        received_at=timezone.now(),
        due_on=timezone.localdate(),
        office=offices["bandung"],
    )
    nowhere = AccountResetRequest.objects.create(
        tracking_number="RA-DDDDD-44444",
        person=_person(district=None, n=4).person,
        contact_email="peserta4@example.com",
        contact_phone="+6281290000004",
        received_at=timezone.now(),
        due_on=timezone.localdate(),
    )
    supervisor = django_user_model.objects.create_user("kepala", password="a-long-password-1", is_staff=True)
    supervisor.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(supervisor)
    html = client.get(URL).content.decode()
    assert all(r.tracking_number in html for r in (surabaya, bandung, nowhere))
