"""A member downloads everything the system holds about them (UU 27/2022 right of access), on the web at
/akun/data-saya.json and in the API at /api/v1/me/data: every kind of data is there, nothing of anyone else."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.models import AccountResetRequest
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.audit.models import AuditEvent
from jaminanku.audit.services import record_event
from jaminanku.bookings.models import Booking, Slot
from jaminanku.claims.services import pay_jht_claim
from jaminanku.contributions.tests.helpers import resigned_member
from jaminanku.member.personal_data import personal_data_of
from jaminanku.notify.services import queue_email, queue_sms
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership

pytestmark = pytest.mark.django_db
PASSWORD = "Kopi-Tubruk-2024!"
KINDS = [
    "person",
    "memberships",
    "employments",
    "contributions",
    "jht_accounts",
    "jht_entries",
    "claims",
    "bookings",
    "account",
    "reset_requests",
    "outbound_messages",
    "audit_events",
]


@dataclass
class Someone:
    membership: Membership
    user: User
    email: str
    phone: str
    booking: Booking
    reset: AccountResetRequest

    @property
    def identifiers(self) -> list[str]:
        person = self.membership.person
        return [person.nik, person.full_name, self.membership.kpj, self.email, self.phone, self.booking.code]


def someone(n: int, office: Office) -> Someone:
    """A member who worked a year, resigned two months ago, was paid JHT, booked a queue slot, filed an account
    reset, was written to, and whose record a staff member changed."""
    today = timezone.localdate()
    membership = resigned_member(first=today - timedelta(days=430), last=today - timedelta(days=60), wage=4_000_000)
    person = membership.person
    email, phone = f"peserta{n}@contoh.id", f"+62812345678{n:02d}"
    user = create_account_for_demo(person=person, email=email, phone=phone, password=PASSWORD)
    pay_jht_claim(membership=membership, kind="full", paid_on=today)
    slot = Slot.objects.create(office=office, day=today + timedelta(days=3), hour=9 + n)
    booking = Booking.objects.create(
        code=f"BK{n:04d}XYZ", person=person, membership=membership, service="jht_claim", slot=slot
    )
    reset = AccountResetRequest.objects.create(
        tracking_number=f"RST2025{n:07d}",
        person=person,
        contact_email=f"baru{n}@contoh.id",
        contact_phone=f"+62813000000{n:02d}",
        received_at=timezone.now(),
        due_on=today + timedelta(days=14),
        office=office,
    )
    queue_email(to=email, subject="Kode verifikasi", body="Kode Anda 123456")
    queue_sms(to=phone, body="Kode Anda 654321")
    queue_email(to=reset.contact_email, subject="Permintaan reset akun diterima", body="…")
    staff = User.objects.create_user(f"petugas{n}", is_staff=True)
    record_event("change", instance=person, actor=staff, before={"address": "lama"}, after={"address": "baru"})
    return Someone(membership, user, email, phone, booking, reset)


@pytest.fixture
def office(db) -> Office:
    return Office.objects.create(code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32")


def test_the_export_holds_every_kind_of_data_about_the_member_and_nothing_of_another(office):
    siti, budi = someone(1, office), someone(2, office)
    data = personal_data_of(siti.membership.person)

    assert [kind for kind in KINDS if not data[kind]] == []  # every kind is there
    assert data["person"]["nik"] == siti.membership.person.nik  # the member's own data, in full
    assert [m["kpj"] for m in data["memberships"]] == [siti.membership.kpj]
    assert len(data["contributions"]) >= 12 and {c["kpj"] for c in data["contributions"]} == {siti.membership.kpj}
    assert {e["kind"] for e in data["jht_entries"]} == {"claim"}  # contributions are their own lines, exported above
    assert [c["kind"] for c in data["claims"]] == ["full"]
    assert [b["code"] for b in data["bookings"]] == [siti.booking.code]
    assert data["account"]["email"] == siti.email and data["account"]["phone"] == siti.phone
    assert [r["tracking_number"] for r in data["reset_requests"]] == [siti.reset.tracking_number]
    assert sorted(m["to"] for m in data["outbound_messages"]) == sorted(
        [siti.email, siti.phone, siti.reset.contact_email, siti.email, siti.phone]  # the claim paid: email and SMS
    )
    assert "body" not in data["outbound_messages"][0]  # bodies carry codes
    change = next(e for e in data["audit_events"] if e["action"] == "change")
    assert (change["actor"], change["after"]) == ("staf", {"address": "baru"})
    assert "petugas1" not in json.dumps(data)  # who among the staff is not the member's data

    dumped = json.dumps(data, ensure_ascii=False)
    assert [value for value in budi.identifiers + [budi.reset.tracking_number] if value in dumped] == []


def test_web_download_and_api_give_the_same_data_and_the_download_is_audited(client, office):
    siti = someone(1, office)
    token = issue_api_token(user=siti.user)
    api = client.get("/api/v1/me/data", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and api["Cache-Control"] == "private, no-store"

    client.force_login(siti.user)
    web = client.get("/akun/data-saya.json")
    assert web.status_code == 200 and web["Content-Type"] == "application/json"
    assert web["Content-Disposition"].startswith('attachment; filename="data-saya-')
    assert web["Cache-Control"] == "private, no-store"

    web_data, api_data = web.json(), api.json()
    for data in (web_data, api_data):
        data.pop("generated_at")
        data.pop("audit_events")  # the second download lists the first
        data["account"].pop("last_login")  # the web login
        data["account"].pop("web_sessions")  # ...which opened a session after the API download
    assert web_data == api_data
    exports = AuditEvent.objects.filter(action="member.data_export", object_id=str(siti.membership.person.pk))
    assert exports.count() == 2


def test_the_download_needs_a_member_login(client):
    assert client.get("/akun/data-saya.json").status_code == 302
    assert client.get("/api/v1/me/data").status_code == 401
    client.force_login(User.objects.create_user("petugas", password="x-Very-Long-99"))
    assert client.get("/akun/data-saya.json").status_code == 403


def test_the_export_lists_the_members_sessions_and_trusted_devices_without_their_secrets(client, office):
    from jaminanku.accounts.tests.helpers import login_with_code

    siti = someone(1, office)
    user = siti.user
    user.set_password("Kopi-Tubruk-2024!")
    user.save()
    login_with_code(
        client, siti.email, "Kopi-Tubruk-2024!", trust=True, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 13)"
    )
    data = client.get("/akun/data-saya.json").json()
    [session] = data["account"]["web_sessions"]
    [device] = data["account"]["trusted_devices"]
    assert session["place"] == device["place"] == "127.0.0.x" and "Android" in session["device"]
    assert data["account"]["authenticator_app"] is False
    dumped = json.dumps(data)
    assert client.session.session_key not in dumped and "jkd_" not in dumped  # the keys themselves stay out
