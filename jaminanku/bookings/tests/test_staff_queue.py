"""The counter's queue page (/staf/antrian/): the day list, check-in by code, served, no-show, closing a day or
a slot (members told by email and SMS with a link to book again), capacity; a branch officer sees only their
branch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jaminanku.audit.models import AuditEvent
from jaminanku.bookings.calendar import free_days
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.services import book_slot
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.notify.models import OutboundMessage
from jaminanku.registry.tests.factories import PersonFactory
from jaminanku.staff.tests.helpers import login_with_role

pytestmark = pytest.mark.django_db
PAGE = "/staf/antrian/"


def _staff(client, django_user_model, role, office=None):
    return login_with_role(client, django_user_model, role, office)


@pytest.fixture
def today_booking(branch, member):
    """A booking for a slot later today at the branch (made at the counter's table, not through book_slot,
    which only books from the next working day)."""
    now = timezone.localtime()
    slot = Slot.objects.create(office=branch, day=now.date(), hour=min(now.hour + 1, 23), booked=1)
    return Booking.objects.create(code="TODAY234", person=member.person, service="jht_claim", slot=slot)


def test_members_and_anonymous_users_are_sent_to_the_staff_login(client, member):
    assert "/admin/login/" in client.get(PAGE)["Location"]
    client.force_login(member.user)
    assert "/admin/login/" in client.get(PAGE)["Location"]


def test_branch_officer_sees_their_branch_list_and_never_another_branch(
    client, django_user_model, branch, other_branch
):
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    day = timezone.localdate()
    slot = Slot.objects.create(office=branch, day=day, hour=10, booked=1)
    ours = Booking.objects.create(
        code="BDG23456", person=PersonFactory(full_name="Rina Bandung"), service="data_update", slot=slot
    )
    far = Slot.objects.create(office=other_branch, day=day, hour=10, booked=1)
    theirs = Booking.objects.create(
        code="MKS23456", person=PersonFactory(full_name="Andi Makassar"), service="data_update", slot=far
    )
    page = client.get(PAGE).content.decode()  # their own branch, today
    assert "Kantor Cabang Bandung" in page and "BDG23456" in page and "Rina Bandung" in page
    assert "MKS23456" not in page and "Kantor Cabang Makassar" not in page
    seen = AuditEvent.objects.get(action="view_list", object_type="bookings.Booking")  # UU 27/2022
    assert seen.after == {"criteria": {"office": "KC3273", "day": day.isoformat()}, "ids": [str(ours.pk)]}
    assert client.get(PAGE, {"kantor": "KC7371"}).status_code == 404
    response = client.post(f"{PAGE}{theirs.pk}/tidak-hadir/", {"kantor": "KC3273"})
    assert response.status_code == 404
    assert client.post(f"{PAGE}{theirs.pk}/tidak-hadir/", {"kantor": "KC7371"}).status_code == 404
    assert client.post(f"{PAGE}tutup/", {"kantor": "KC7371", "tanggal": day.isoformat()}).status_code == 404
    assert not Slot.objects.filter(office=other_branch, closed=True).exists()


def test_officer_without_a_post_is_refused(client, django_user_model, branch):
    _staff(client, django_user_model, "Petugas cabang")
    assert client.get(PAGE).status_code == 403


def test_supervisor_chooses_any_branch(client, django_user_model, branch, other_branch):
    _staff(client, django_user_model, "Supervisor")
    page = client.get(PAGE).content.decode()
    assert "KC3273" in page and "KC7371" in page
    page = client.get(PAGE, {"kantor": "KC7371"}).content.decode()
    assert "Kantor Cabang Makassar" in page and "WITA" in page


def test_check_in_by_typed_code_then_served(client, django_user_model, branch, today_booking):
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    response = client.post(f"{PAGE}hadir/", {"kantor": "KC3273", "kode": " today234 "}, follow=True)
    assert "TODAY234 hadir" in response.content.decode()
    today_booking.refresh_from_db()
    assert today_booking.status == "checked_in"
    client.post(f"{PAGE}{today_booking.pk}/selesai/", {"kantor": "KC3273"})
    today_booking.refresh_from_db()
    assert today_booking.status == "served"
    response = client.post(f"{PAGE}hadir/", {"kantor": "KC3273", "kode": "NOPE2345"}, follow=True)
    assert "Kode booking tidak ditemukan di kantor ini." in response.content.decode()


def test_no_show_only_once_the_slot_has_started(client, django_user_model, branch, member):
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    yesterday = Slot.objects.create(office=branch, day=timezone.localdate() - timedelta(days=1), hour=9, booked=1)
    late = Booking.objects.create(code="LATE2345", person=member.person, service="jht_claim", slot=yesterday)
    client.post(f"{PAGE}{late.pk}/tidak-hadir/", {"kantor": "KC3273"})
    late.refresh_from_db()
    assert late.status == "no_show"
    upcoming = book_slot(
        person=PersonFactory(), office=branch, day=first_free_day(branch), hour=9, service="data_update"
    )
    response = client.post(f"{PAGE}{upcoming.pk}/tidak-hadir/", {"kantor": "KC3273"}, follow=True)
    assert "Slot belum dimulai." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == "booked"


def test_closing_a_day_cancels_and_tells_each_member_with_a_link_to_book_again(
    client, django_user_model, branch, member
):
    day = first_free_day(branch)
    booking = book_slot(person=member.person, office=branch, day=day, hour=9)
    OutboundMessage.objects.all().delete()  # the confirmation
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    response = client.post(f"{PAGE}tutup/", {"kantor": "KC3273", "tanggal": day.isoformat(), "jam": ""}, follow=True)
    assert "1 peserta diberi tahu" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert Slot.objects.filter(office=branch, day=day, closed=True).count() == 7
    email = OutboundMessage.objects.get(channel="email", to=member.email)
    sms = OutboundMessage.objects.get(channel="sms", to=member.phone)
    for message in (email, sms):
        assert (
            booking.code in message.body
            and "/antrian/baru/?layanan=jht_claim&provinsi=32&kantor=KC3273" in message.body
        )
    assert "Slot terdekat yang masih tersedia" in email.body
    assert day not in [d for d, _ in free_days(branch)]


def test_closing_one_slot_leaves_the_others(client, django_user_model, branch, member):
    day = first_free_day(branch)
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    client.post(f"{PAGE}tutup/", {"kantor": "KC3273", "tanggal": day.isoformat(), "jam": "10"})
    assert list(Slot.objects.filter(office=branch, day=day, closed=True).values_list("hour", flat=True)) == [10]


def test_capacity_of_a_slot_is_editable_but_not_below_the_places_taken(client, django_user_model, branch, member):
    day = first_free_day(branch)
    book_slot(person=member.person, office=branch, day=day, hour=9)
    _staff(client, django_user_model, "Petugas cabang", office=branch)
    client.post(f"{PAGE}kapasitas/", {"kantor": "KC3273", "tanggal": day.isoformat(), "jam": "9", "kapasitas": "8"})
    assert Slot.objects.get(office=branch, day=day, hour=9).capacity == 8
    response = client.post(
        f"{PAGE}kapasitas/", {"kantor": "KC3273", "tanggal": day.isoformat(), "jam": "9", "kapasitas": "0"}, follow=True
    )
    assert "Kapasitas tidak boleh kurang dari 1 tempat yang sudah terisi." in response.content.decode()
    assert Slot.objects.get(office=branch, day=day, hour=9).capacity == 8


def test_office_default_capacity_is_editable_in_the_back_office(staff_client, branch):
    page = staff_client.get(f"/admin/offices/office/{branch.pk}/change/").content.decode()
    assert 'name="queue_capacity"' in page
