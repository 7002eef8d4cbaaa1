"""Queue endpoints under /api/v1/bookings/: services, provinces and branches, free days and hours of a branch
(anonymous); the member's own bookings — create, list, cancel, reschedule, .ics (bearer token or web session).
A booking code of someone else is answered exactly like a code that does not exist."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from jaminanku.accounts.access import api_person, member_auth
from jaminanku.bookings import exports, selectors, services
from jaminanku.bookings.calendar import availability, free_days, slot_start
from jaminanku.bookings.models import Booking, Service
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.core.http import file_response

router = Router(tags=["bookings"])


class ServiceOut(Schema):
    code: str
    label: str


class ProvinceOut(Schema):
    code: str
    name: str


class BranchOut(Schema):
    code: str
    name: str
    kind: str
    city: str
    address: str
    time_zone: str


class DayOut(Schema):
    day: date
    places_left: int


class SlotOut(Schema):
    hour: int
    label: str
    places_left: int


class BookingIn(Schema):
    service: str = Field(Service.JHT_CLAIM, max_length=20)
    office: str = Field(max_length=12, description="branch code")
    day: date
    hour: int = Field(ge=0, le=23)


class RescheduleIn(Schema):
    day: date
    hour: int = Field(ge=0, le=23)


class BookingOut(Schema):
    code: str
    service: str
    service_label: str
    status: str
    office: str
    office_name: str
    day: date
    hour: int
    starts_at: datetime
    time_zone: str
    qr_png_url: str
    ics_url: str


def _out(booking: Booking) -> BookingOut:
    slot, office = booking.slot, booking.slot.office
    return BookingOut(
        code=booking.code,
        service=booking.service,
        service_label=str(booking.get_service_display()),
        status=booking.status,
        office=office.code,
        office_name=office.name,
        day=slot.day,
        hour=slot.hour,
        starts_at=slot_start(office, slot.day, slot.hour),
        time_zone=office.time_zone,
        qr_png_url=f"/api/v1/bookings/mine/{booking.code}/qr.png",
        ics_url=f"/api/v1/bookings/mine/{booking.code}/ics",
    )


@router.get("/services", response=list[ServiceOut], auth=None)
def list_services(request: HttpRequest) -> list[ServiceOut]:
    return [ServiceOut(code=code, label=str(label)) for code, label in Service.choices]


@router.get("/provinces", response=list[ProvinceOut], auth=None)
def list_provinces(request: HttpRequest) -> list[ProvinceOut]:
    return [ProvinceOut(code=p.code, name=p.name) for p in selectors.provinces_with_branches()]


@router.get("/provinces/{province}/branches", response=list[BranchOut], auth=None)
def list_branches(request: HttpRequest, province: str) -> list[BranchOut]:
    return [
        BranchOut(code=o.code, name=o.name, kind=o.kind, city=o.city, address=o.address, time_zone=o.time_zone)
        for o in selectors.branches_in(province)
    ]


@router.get(
    "/branches/{office}/days",
    response={200: list[DayOut], **errors(404)},
    auth=None,
    summary="Working days with free places",
)
def list_days(request: HttpRequest, office: str) -> list[DayOut]:
    return [DayOut(day=d, places_left=n) for d, n in free_days(selectors.bookable_office(office))]


@router.get("/branches/{office}/days/{day}/slots", response={200: list[SlotOut], **errors(404, 422)}, auth=None)
def list_slots(request: HttpRequest, office: str, day: date) -> list[SlotOut]:
    branch = selectors.bookable_office(office)
    if day not in dict(free_days(branch)):
        raise NotFound(_("Tanggal ini tidak tersedia."), code="day_not_bookable", field="day")
    return [SlotOut(hour=v.hour, label=v.label, places_left=v.places_left) for v in availability(branch, [day])[day]]


@router.get("/mine", response={200: list[BookingOut], **errors(401, 403)}, auth=member_auth)
def my_bookings(request: HttpRequest) -> list[BookingOut]:
    return [_out(b) for b in selectors.bookings_of(api_person(request))[:100]]


@router.post("/mine", response={201: BookingOut, **errors(400, 401, 403, 404, 409, 422)}, auth=member_auth)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status:
    booking = services.book_slot(
        person=api_person(request),
        office=selectors.bookable_office(payload.office),
        day=payload.day,
        hour=payload.hour,
        service=payload.service,
    )
    return Status(201, _out(booking))


@router.get("/mine/{code}", response={200: BookingOut, **errors(401, 403, 404)}, auth=member_auth)
def get_booking(request: HttpRequest, code: str) -> BookingOut:
    return _out(selectors.booking_of(api_person(request), code))


@router.post("/mine/{code}/cancel", response={200: BookingOut, **errors(400, 401, 403, 404)}, auth=member_auth)
def cancel_booking(request: HttpRequest, code: str) -> BookingOut:
    return _out(services.cancel_booking(booking=selectors.booking_of(api_person(request), code)))


@router.post(
    "/mine/{code}/reschedule",
    response={200: BookingOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=member_auth,
    summary="Moves it; a new code",
)
def reschedule_booking(request: HttpRequest, code: str, payload: RescheduleIn) -> BookingOut:
    booking = selectors.booking_of(api_person(request), code)
    return _out(services.reschedule_booking(booking=booking, day=payload.day, hour=payload.hour))


@router.get(
    "/mine/{code}/ics",
    response={200: None, **errors(401, 403, 404)},
    auth=member_auth,
    summary="The booking as a calendar file (text/calendar)",
)
def booking_ics(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_of(api_person(request), code)
    return file_response(exports.booking_ics(booking), "text/calendar; charset=utf-8", f"antrian-{booking.code}.ics")


@router.get(
    "/mine/{code}/qr.png",
    response={200: None, **errors(401, 403, 404)},
    auth=member_auth,
    summary="The QR of the booking code (PNG)",
)
def booking_qr(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_of(api_person(request), code)
    return HttpResponse(exports.qr_png(booking.code), content_type="image/png")
