"""Writes to the branch queue: booking, cancelling, rescheduling, check-in, served, no-shows, closing slots.

A place is taken by one conditional UPDATE (`booked < capacity`), guarded again by a check constraint, and a
person's one active booking per service by a partial unique constraint: concurrency cannot overbook.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.bookings import notices
from jaminanku.bookings.calendar import SLOT_HOURS, bookable_days, local_now, next_free_slot, slot_start
from jaminanku.bookings.models import Booking, Service, Slot
from jaminanku.bookings.selectors import jht_claim_eligibility
from jaminanku.core.errors import DomainError
from jaminanku.offices.models import Office
from jaminanku.registry.models import Membership, Person

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread at the counter


class SlotFull(DomainError):
    code = "slot_full"
    status = 409


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _slot(office: Office, day: date, hour: int) -> Slot:
    slot, _created = Slot.objects.get_or_create(
        office=office, day=day, hour=hour, defaults={"capacity": office.queue_capacity}
    )
    return slot


def book_slot(
    *,
    person: Person,
    office: Office,
    day: date,
    hour: int,
    service: str = Service.JHT_CLAIM,
    membership: Membership | None = None,
    now: datetime | None = None,
) -> Booking:
    now = now or timezone.now()
    if service not in Service.values:
        raise DomainError(_("Layanan tidak dikenal."), code="unknown_service", field="service")
    if office.kind == Office.Kind.REGIONAL or not office.active:
        raise DomainError(_("Kantor ini tidak melayani antrian."), code="office_not_bookable", field="office")
    if hour not in SLOT_HOURS or day not in bookable_days(office, now=now):
        raise DomainError(_("Tanggal atau jam tidak tersedia untuk dipesan."), code="slot_not_bookable", field="day")
    if membership is not None and membership.person_id != person.pk:
        raise DomainError(_("KPJ tidak ditemukan."), code="kpj_not_found", field="membership")
    if service == Service.JHT_CLAIM:
        eligibility = jht_claim_eligibility(person, office=office, membership=membership, now=now)
        if not eligibility.allowed:
            raise DomainError(
                " ".join(eligibility.reasons) or _("Belum memenuhi syarat klaim JHT."),
                code="not_eligible",
                reasons=eligibility.reasons,
                eligible_from=eligibility.allowed_from.isoformat() if eligibility.allowed_from else None,
            )
        membership = eligibility.membership
    with transaction.atomic():
        slot = _slot(office, day, hour)
        taken = Slot.objects.filter(pk=slot.pk, closed=False, booked__lt=F("capacity")).update(booked=F("booked") + 1)
        if not taken:
            suggestion = next_free_slot(office, after=(day, hour), now=now)
            raise SlotFull(
                _("Slot penuh."),
                suggestion=({"day": suggestion.day.isoformat(), "hour": suggestion.hour} if suggestion else None),
            )
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    code=_new_code(), person=person, membership=membership, service=service, slot=slot
                )
        except IntegrityError as exc:
            # rolls the place back with the outer transaction
            raise DomainError(_("Anda sudah memiliki booking aktif untuk layanan ini."), code="already_booked") from exc
        booking.slot.office = office
        notices.booking_confirmed(booking)  # in this transaction: sent exactly when the booking exists
        return booking


def _release(booking: Booking) -> None:
    Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _require_future(booking: Booking, now: datetime) -> None:
    if booking.status != Booking.Status.BOOKED:
        raise DomainError(_("Booking ini tidak dapat diubah lagi."), code="booking_not_changeable")
    if slot_start(booking.slot.office, booking.slot.day, booking.slot.hour) <= now:
        raise DomainError(_("Slot sudah dimulai; booking tidak dapat diubah."), code="slot_started")


def cancel_booking(*, booking: Booking, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("slot__office").get(pk=booking.pk)
        _require_future(booking, now)
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        _release(booking)
    return booking


def reschedule_booking(*, booking: Booking, day: date, hour: int, now: datetime | None = None) -> Booking:
    """Moves a booking to another slot of the same branch, atomically: the old place is freed only if the new
    one is taken."""
    now = now or timezone.now()
    with transaction.atomic():
        old = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__office", "person", "membership")
            .get(pk=booking.pk)
        )
        _require_future(old, now)
        old.status = Booking.Status.CANCELLED
        old.save(update_fields=["status", "updated_at"])
        _release(old)
        return book_slot(
            person=old.person,
            office=old.slot.office,
            day=day,
            hour=hour,
            service=old.service,
            membership=old.membership,
            now=now,
        )


def check_in(*, code: str, office: Office, now: datetime | None = None, actor: Any = None) -> Booking:
    now = now or timezone.now()
    code = (code or "").strip().upper()[:12]
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__office")
            .filter(code=code, slot__office=office)
            .first()
        )
        if booking is None:
            raise DomainError(_("Kode booking tidak ditemukan di kantor ini."), code="booking_not_found")
        if booking.status != Booking.Status.BOOKED:
            raise DomainError(
                _("Booking ini sudah %(status)s.") % {"status": booking.get_status_display()}, code="booking_not_open"
            )
        if booking.slot.day != local_now(office, now).date():
            raise DomainError(_("Booking ini untuk tanggal lain."), code="wrong_day")
        booking.status = Booking.Status.CHECKED_IN
        booking.save(update_fields=["status", "updated_at"])
        record_event("check_in", instance=booking, after={"status": booking.status}, actor=actor)
    return booking


def mark_served(*, booking: Booking, actor: Any = None) -> Booking:
    updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CHECKED_IN).update(
        status=Booking.Status.SERVED, updated_at=timezone.now()
    )
    if not updated:
        raise DomainError(_("Hanya booking yang sudah hadir dapat ditandai selesai."), code="not_checked_in")
    booking.refresh_from_db()
    record_event("served", instance=booking, after={"status": booking.status}, actor=actor)
    return booking


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Bookings whose slot has ended without a check-in become no-shows, per branch time zone. Set-based."""
    now = now or timezone.now()
    total = 0
    for zone in Office.TimeZone.values:
        local = now.astimezone(ZoneInfo(zone))
        ended = Q(slot__day__lt=local.date()) | Q(slot__day=local.date(), slot__hour__lt=local.hour)
        total += Booking.objects.filter(ended, status=Booking.Status.BOOKED, slot__office__time_zone=zone).update(
            status=Booking.Status.NO_SHOW, updated_at=now
        )
    return total


def close_slots(
    *, office: Office, day: date, hour: int | None = None, actor: Any = None, now: datetime | None = None
) -> list[Booking]:
    """Closes a slot (or the whole day) and cancels its bookings; each member is told by email and SMS and
    offered the next free slot. Returns the cancelled bookings."""
    hours = [hour] if hour is not None else list(SLOT_HOURS)
    with transaction.atomic():
        for h in hours:
            slot = _slot(office, day, h)
            Slot.objects.filter(pk=slot.pk).update(closed=True)
        affected = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(slot__office=office, slot__day=day, slot__hour__in=hours, status=Booking.Status.BOOKED)
            .select_related("person", "slot")
        )
        Booking.objects.filter(pk__in=[b.pk for b in affected]).update(status=Booking.Status.CANCELLED)
        Slot.objects.filter(office=office, day=day, hour__in=hours).update(booked=0)
        record_event(
            "close_slots",
            object_type="offices.Office",
            object_id=str(office.pk),
            object_repr=str(office),
            after={"day": day.isoformat(), "hours": hours, "bookings_cancelled": len(affected)},
            actor=actor,
        )
        suggestion = next_free_slot(office, now=now)
        for booking in affected:
            booking.slot.office = office
            notices.slot_closed(booking, suggestion)
    return affected


def mark_no_show(*, booking: Booking, now: datetime | None = None, actor: Any = None) -> Booking:
    """Staff mark one booking no-show once its slot has started (`mark_no_shows` does it for all when it ends)."""
    now = now or timezone.now()
    slot = Slot.objects.select_related("office").get(pk=booking.slot_id)
    if slot_start(slot.office, slot.day, slot.hour) > now:
        raise DomainError(_("Slot belum dimulai."), code="slot_not_started")
    updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
        status=Booking.Status.NO_SHOW, updated_at=now
    )
    if not updated:
        raise DomainError(_("Hanya booking yang belum hadir dapat ditandai tidak hadir."), code="booking_not_open")
    booking.refresh_from_db()
    record_event("no_show", instance=booking, after={"status": booking.status}, actor=actor)
    return booking


def set_slot_capacity(*, office: Office, day: date, hour: int, capacity: int, actor: Any = None) -> Slot:
    """Sets one slot's capacity; never below the places already taken (the check constraint holds it too)."""
    if hour not in SLOT_HOURS:
        raise DomainError(_("Jam tidak valid."), code="invalid_hour", field="hour")
    with transaction.atomic():
        slot = _slot(office, day, hour)
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if capacity < slot.booked:
            raise DomainError(
                _("Kapasitas tidak boleh kurang dari %(booked)s tempat yang sudah terisi.") % {"booked": slot.booked},
                code="capacity_below_booked",
                field="capacity",
            )
        before = {"capacity": slot.capacity}
        slot.capacity = capacity
        slot.save(update_fields=["capacity"])
        record_event("slot_capacity", instance=slot, before=before, after={"capacity": capacity}, actor=actor)
    return slot
