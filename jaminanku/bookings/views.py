"""Member queue pages (/antrian/): my bookings, the booking steps, a booking with its code and QR, the .ics,
cancel and reschedule. Views only translate HTTP to the bookings services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jaminanku.accounts.access import MemberRequest, member_required
from jaminanku.bookings import exports, selectors, services
from jaminanku.bookings.calendar import slot_start
from jaminanku.bookings.forms import SERVICE_FIELDS, BookingForm, RescheduleForm
from jaminanku.bookings.models import Booking, Service
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.core.http import file_response
from jaminanku.registry.models import Person

NAV = "queue"
View = Callable[..., HttpResponse]


def member_view(view: View) -> View:
    """accounts.access.member_required, handing the view the member's Person; a booking code that is not the
    member's own shows the queue's not-found page."""

    @member_required
    @wraps(view)
    def wrapper(request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, request.person, *args, **kwargs)
        except NotFound:
            return render(request, "bookings/not_found.html", {"nav": NAV}, status=404)

    return wrapper


def show_error(form: forms.Form, exc: DomainError) -> None:
    field = SERVICE_FIELDS.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, str(exc.message))


def _changeable(booking: Booking) -> bool:
    slot = booking.slot
    return booking.status == Booking.Status.BOOKED and slot_start(slot.office, slot.day, slot.hour) > timezone.now()


@require_GET
@member_view
def my_bookings(request: HttpRequest, person: Person) -> HttpResponse:
    bookings = list(selectors.bookings_of(person)[:50])
    active = [b for b in bookings if b.status in Booking.ACTIVE]
    return render(
        request,
        "bookings/my_bookings.html",
        {"nav": NAV, "active": active, "past": [b for b in bookings if b not in active]},
    )


@require_http_methods(["GET", "POST"])
@member_view
def book(request: HttpRequest, person: Person) -> HttpResponse:
    final = request.method == "POST"
    form = BookingForm(request.POST if final else request.GET, final=final)
    form.is_valid()  # resolves the steps chosen so far; wrong values get their message
    eligibility = None
    if form.cleaned_data.get("layanan") == Service.JHT_CLAIM:
        eligibility = selectors.jht_claim_eligibility(person, office=form.office)
    if final and not form.errors and form.office is not None and (eligibility is None or eligibility.allowed):
        try:
            booking = services.book_slot(
                person=person,
                office=form.office,
                day=date.fromisoformat(form.cleaned_data["tanggal"]),
                hour=int(form.cleaned_data["jam"]),
                service=form.cleaned_data["layanan"],
            )
        except DomainError as exc:
            show_error(form, exc)
            suggestion = exc.extra.get("suggestion")
            if suggestion:
                messages.info(
                    request,
                    _("Slot terdekat yang masih tersedia: %(day)s pukul %(hour)02d:00.")
                    % {"day": date.fromisoformat(suggestion["day"]).strftime("%d/%m/%Y"), "hour": suggestion["hour"]},
                )
        else:
            messages.success(request, _("Booking berhasil. Tunjukkan kode atau QR ini kepada petugas."))
            return redirect("bookings:detail", code=booking.code)
    blocked = eligibility is not None and not eligibility.allowed
    return render(
        request,
        "bookings/book.html",
        {"nav": NAV, "form": form, "eligibility": eligibility, "blocked": blocked},
        status=200 if not (final and form.errors) else 400,
    )


@require_GET
@member_view
def detail(request: HttpRequest, person: Person, code: str) -> HttpResponse:
    booking = selectors.booking_of(person, code)
    slot = booking.slot
    return render(
        request,
        "bookings/detail.html",
        {
            "nav": NAV,
            "booking": booking,
            "changeable": _changeable(booking),
            "starts": slot_start(slot.office, slot.day, slot.hour),
        },
    )


@require_GET
@member_view
def qr(request: HttpRequest, person: Person, code: str) -> HttpResponse:
    booking = selectors.booking_of(person, code)
    return HttpResponse(exports.qr_png(booking.code), content_type="image/png")


@require_GET
@member_view
def ics(request: HttpRequest, person: Person, code: str) -> HttpResponse:
    booking = selectors.booking_of(person, code)
    return file_response(exports.booking_ics(booking), "text/calendar; charset=utf-8", f"antrian-{booking.code}.ics")


@require_POST
@member_view
def cancel(request: HttpRequest, person: Person, code: str) -> HttpResponse:
    booking = selectors.booking_of(person, code)
    try:
        services.cancel_booking(booking=booking)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Booking %(code)s dibatalkan.") % {"code": booking.code})
    return redirect("bookings:detail", code=booking.code)


@require_http_methods(["GET", "POST"])
@member_view
def reschedule(request: HttpRequest, person: Person, code: str) -> HttpResponse:
    booking = selectors.booking_of(person, code)
    if not _changeable(booking):
        messages.error(request, _("Booking ini tidak dapat diubah lagi."))
        return redirect("bookings:detail", code=booking.code)
    final = request.method == "POST"
    form = RescheduleForm(request.POST if final else request.GET, office=booking.slot.office, final=final)
    if final and form.is_valid():
        try:
            moved = services.reschedule_booking(
                booking=booking,
                day=date.fromisoformat(form.cleaned_data["tanggal"]),
                hour=int(form.cleaned_data["jam"]),
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Jadwal dipindah. Kode booking baru: %(code)s.") % {"code": moved.code})
            return redirect("bookings:detail", code=moved.code)
    elif not final:
        form.is_valid()
    return render(
        request,
        "bookings/reschedule.html",
        {"nav": NAV, "form": form, "booking": booking},
        status=400 if final and form.errors else 200,
    )
