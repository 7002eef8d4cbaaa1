"""The email and SMS a member gets about a queue booking: confirmation (also after a reschedule) and a closed
slot with a link to book another. Queued in the caller's transaction through notify; the worker sends them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.notices import absolute_url
from jaminanku.bookings.calendar import SlotView
from jaminanku.bookings.models import Booking
from jaminanku.notify.services import queue_email, queue_sms


def _when(booking: Booking) -> str:
    slot = booking.slot
    zone = slot.office.get_time_zone_display()
    return f"{date_format(slot.day, 'SHORT_DATE_FORMAT')} {slot.hour:02d}:00–{slot.hour + 1:02d}:00 {zone}"


def _send(booking: Booking, subject: str, body: str, sms: str) -> None:
    profile = MemberProfile.objects.filter(person_id=booking.person_id).only("email", "phone").first()
    if profile is None:  # booked at the counter for someone without an account: nothing to send to
        return
    queue_email(to=profile.email, subject=subject, body=body)
    queue_sms(to=profile.phone, body=sms)


def booking_confirmed(booking: Booking) -> None:
    office, code = booking.slot.office, booking.code
    detail = absolute_url(reverse("bookings:detail", args=[code]))
    subject = _("Booking antrian %(code)s: %(service)s") % {"code": code, "service": booking.get_service_display()}
    body = "\n\n".join(
        [
            _("Booking antrian Anda tercatat.")
            + "\n"
            + _("Kode booking: %(code)s") % {"code": code}
            + "\n"
            + _("Layanan: %(service)s") % {"service": booking.get_service_display()}
            + "\n"
            + _("Kantor: %(office)s") % {"office": office.name}
            + "\n"
            + _("Waktu: %(when)s") % {"when": _when(booking)},
            _(
                "Tunjukkan kode atau QR-nya kepada petugas saat datang. Detail, QR, kalender, pembatalan dan "
                "perubahan jadwal: %(url)s"
            )
            % {"url": detail},
            _(
                "Booking dapat dibatalkan atau dipindah sampai slot dimulai. Jika tidak hadir sampai slot berakhir, "
                "booking dianggap tidak hadir."
            ),
        ]
    )
    sms = _("JaminanKu: booking antrian %(code)s di %(office)s, %(when)s. Tunjukkan kode ini kepada petugas.") % {
        "code": code,
        "office": office.name,
        "when": _when(booking),
    }
    _send(booking, subject, body, sms)


def slot_closed(booking: Booking, suggestion: SlotView | None) -> None:
    office, code = booking.slot.office, booking.code
    query = {"layanan": booking.service, "provinsi": office.province_id, "kantor": office.code}
    if suggestion is not None:
        query["tanggal"] = suggestion.day.isoformat()
    link = absolute_url(reverse("bookings:book") + "?" + urlencode(query))
    offer = (
        _("Slot terdekat yang masih tersedia: %(day)s pukul %(hour)02d:00.")
        % {"day": date_format(suggestion.day, "SHORT_DATE_FORMAT"), "hour": suggestion.hour}
        if suggestion
        else _("Saat ini belum ada slot lain yang tersedia di kantor ini.")
    )
    subject = _("Booking antrian %(code)s dibatalkan: layanan ditutup") % {"code": code}
    body = "\n\n".join(
        [
            _("Mohon maaf, %(office)s menutup layanan antrian pada %(when)s. Booking %(code)s dibatalkan.")
            % {"office": office.name, "when": _when(booking), "code": code},
            offer,
            _("Pilih jadwal lain di sini: %(url)s") % {"url": link},
        ]
    )
    sms = _(
        "JaminanKu: maaf, antrian %(code)s (%(when)s) dibatalkan karena kantor tutup. Pilih jadwal lain: %(url)s"
    ) % {
        "code": code,
        "when": _when(booking),
        "url": link,
    }
    _send(booking, subject, body, sms)
