"""The member's queue pages: choose a service, province, branch, day and hour; get a code and its QR, an email,
an SMS and a calendar file; cancel or reschedule; a member who may not claim JHT yet is told why and from when."""

from datetime import timedelta
from io import BytesIO

import pytest
import zxingcpp
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from icalendar import Calendar
from PIL import Image

from jaminanku.bookings.calendar import SLOT_HOURS, free_days
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.services import book_slot
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
BOOK = "/antrian/baru/"


def _choices(day, hour=9, **extra):
    return {
        "layanan": "jht_claim",
        "provinsi": "32",
        "kantor": "KC3273",
        "tanggal": day.isoformat(),
        "jam": hour,
        **extra,
    }


def test_queue_pages_need_a_login(client):
    response = client.get(BOOK)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_steps_show_branches_of_the_province_then_free_days_then_hours(client, member, branch, other_branch):
    client.force_login(member.user)
    page = client.get(BOOK, {"layanan": "jht_claim"}).content.decode()
    assert "JAWA BARAT" in page.upper()  # provinces with a branch
    assert 'name="kantor"' not in page  # the branch comes after the province
    page = client.get(BOOK, {"layanan": "jht_claim", "provinsi": "32"}).content.decode()
    assert "Kantor Cabang Bandung" in page and "Kantor Cabang Makassar" not in page
    page = client.get(BOOK, {"layanan": "jht_claim", "provinsi": "32", "kantor": "KC3273"}).content.decode()
    days = [d for d, _ in free_days(branch)]
    assert f'value="{days[0].isoformat()}"' in page
    weekend = next(d for d in (days[0] + timedelta(n) for n in range(7)) if d.weekday() == 5)
    assert f'value="{weekend.isoformat()}"' not in page  # Saturdays are never offered
    Slot.objects.create(office=branch, day=days[0], hour=8, capacity=3, booked=1)
    Slot.objects.create(office=branch, day=days[0], hour=9, capacity=3, booked=3)
    response = client.get(BOOK, _choices(days[0], hour=""))
    page = response.content.decode()
    assert "sisa 2 tempat" in page and "Penuh" in page
    assert 'id="jam-9" value="9" disabled' in page


def test_member_books_and_sees_code_and_a_qr_that_decodes_to_it(client, member, branch):
    client.force_login(member.user)
    day = first_free_day(branch)
    response = client.post(BOOK, _choices(day, hour=10))
    booking = Booking.objects.get(person=member.person)
    assert response.status_code == 302 and response["Location"] == f"/antrian/{booking.code}/"
    page = client.get(response["Location"]).content.decode()
    assert booking.code in page and f"/antrian/{booking.code}/qr.png" in page
    assert "10:00–11:00 WIB" in page and "Kantor Cabang Bandung" in page
    png = client.get(f"/antrian/{booking.code}/qr.png")
    assert png["Content-Type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(BytesIO(png.content)))
    assert [r.text for r in decoded] == [booking.code]
    assert Slot.objects.get(office=branch, day=day, hour=10).booked == 1


def test_booking_queues_an_email_and_an_sms_with_the_code(client, member, branch):
    client.force_login(member.user)
    client.post(BOOK, _choices(first_free_day(branch)))
    code = Booking.objects.get().code
    email = OutboundMessage.objects.get(channel="email", to=member.email)
    sms = OutboundMessage.objects.get(channel="sms", to=member.phone)
    assert code in email.subject and code in email.body and f"/antrian/{code}/" in email.body
    assert code in sms.body and "Kantor Cabang Bandung" in sms.body
    assert email.status == sms.status == "queued"  # the delivery worker sends them


def test_ics_starts_at_the_slot_hour_in_the_branch_time_zone(client, member, other_branch):
    """Makassar is WITA (UTC+8): a 09:00 slot there is 08:00 in Jakarta and 01:00 UTC."""
    client.force_login(member.user)
    day = first_free_day(other_branch)
    client.post(BOOK, _choices(day, hour=9, provinsi="73", kantor="KC7371"))
    booking = Booking.objects.get()
    response = client.get(f"/antrian/{booking.code}/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.date(), start.hour, str(start.tzinfo)) == (day, 9, "Asia/Makassar")
    assert start.utcoffset() == timedelta(hours=8) and end - start == timedelta(hours=1)
    assert booking.code in str(event["summary"]) and "Makassar" in str(event["location"])


def test_cancel_frees_the_place(client, member, branch):
    client.force_login(member.user)
    day = first_free_day(branch)
    client.post(BOOK, _choices(day))
    booking = Booking.objects.get()
    response = client.post(f"/antrian/{booking.code}/batal/", follow=True)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and Slot.objects.get(day=day, hour=9).booked == 0
    assert "dibatalkan" in response.content.decode()


def test_reschedule_moves_to_another_hour_and_gives_a_new_code(client, member, branch):
    client.force_login(member.user)
    day = first_free_day(branch)
    client.post(BOOK, _choices(day, hour=8))
    old = Booking.objects.get()
    page = client.get(f"/antrian/{old.code}/ubah/", {"tanggal": day.isoformat()}).content.decode()
    assert 'name="jam"' in page
    response = client.post(f"/antrian/{old.code}/ubah/", {"tanggal": day.isoformat(), "jam": "14"})
    new = Booking.objects.get(status="booked")
    assert response["Location"] == f"/antrian/{new.code}/"
    assert (new.slot.day, new.slot.hour) == (day, 14)
    assert Slot.objects.get(day=day, hour=8).booked == 0
    old.refresh_from_db()
    assert old.status == "cancelled"


def test_a_started_slot_can_no_longer_be_changed(client, member, branch):
    client.force_login(member.user)
    today = timezone.localdate()
    slot = Slot.objects.create(office=branch, day=today - timedelta(days=1), hour=SLOT_HOURS[0], booked=1)
    booking = Booking.objects.create(code="PAST2345", person=member.person, service="jht_claim", slot=slot)
    page = client.get(f"/antrian/{booking.code}/").content.decode()
    assert "Batalkan booking" not in page
    client.post(f"/antrian/{booking.code}/batal/")
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_bad_input_gets_a_message_and_keeps_the_choices(client, member, branch):
    client.force_login(member.user)
    day = first_free_day(branch)
    Slot.objects.create(office=branch, day=day, hour=11, capacity=3, booked=3)
    response = client.post(BOOK, _choices(day, hour=11))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Jam ini tidak tersedia (penuh atau ditutup). Pilih jam lain." in page
    assert 'value="KC3273" selected' in page and f'value="{day.isoformat()}" checked' in page
    response = client.get(BOOK, {"layanan": "jht_claim", "provinsi": "32", "kantor": "KC3273", "tanggal": "2020-01-01"})
    assert "Tanggal ini tidak tersedia. Pilih tanggal lain dari kalender." in response.content.decode()
    assert not Booking.objects.exists()


def test_unknown_province_is_refused_and_the_service_stays_chosen(client, member, branch):
    client.force_login(member.user)
    page = client.get(BOOK, {"layanan": "jht_claim", "provinsi": "99"}).content.decode()
    assert "Pilih provinsi dari daftar." in page
    assert '<input type="radio" name="layanan" value="jht_claim" id="id_layanan_0" checked>' in page


def test_one_active_booking_per_service(client, member, branch):
    client.force_login(member.user)
    day = first_free_day(branch)
    client.post(BOOK, _choices(day, hour=8))
    response = client.post(BOOK, _choices(day, hour=9))
    assert "Anda sudah memiliki booking aktif untuk layanan ini." in response.content.decode()
    assert Booking.objects.count() == 1


def test_member_who_must_wait_sees_why_and_from_when(client, waiting_member, branch):
    client.force_login(waiting_member.user)
    opens = timezone.localdate() - timedelta(days=5) + relativedelta(months=1)
    page = client.get(BOOK, {"layanan": "jht_claim"}).content.decode()
    assert "Anda belum dapat memesan antrian klaim JHT." in page
    assert "Masa tunggu 1 bulan sampai" in page
    assert f"Klaim JHT dapat diajukan mulai {opens:%d/%m/%Y}." in page
    assert 'name="provinsi"' not in page
    response = client.post(BOOK, _choices(first_free_day(branch)))  # posting anyway books nothing
    assert f"{opens:%d/%m/%Y}" in response.content.decode() and not Booking.objects.exists()
    # another service needs no JHT eligibility
    response = client.post(BOOK, _choices(first_free_day(branch), layanan="data_update"))
    assert response.status_code == 302 and Booking.objects.get().service == "data_update"


def test_another_members_booking_is_not_found(client, member, waiting_member, branch):
    theirs = book_slot(person=member.person, office=branch, day=first_free_day(branch), hour=9)
    client.force_login(waiting_member.user)
    for path in ("", "qr.png", "kalender.ics", "ubah/"):
        assert client.get(f"/antrian/{theirs.code}/{path}").status_code == 404
    assert client.post(f"/antrian/{theirs.code}/batal/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_my_bookings_lists_the_active_booking(client, member, branch):
    booking = book_slot(person=member.person, office=branch, day=first_free_day(branch), hour=9)
    client.force_login(member.user)
    page = client.get("/antrian/").content.decode()
    assert booking.code in page and "Buat booking antrian" in page
