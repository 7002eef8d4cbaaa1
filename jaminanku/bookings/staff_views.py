"""The counter's queue page (/staf/antrian/): a branch's day list, check-in by typed or scanned code, served and
no-show, closing a slot or the whole day, and slot capacity. A branch officer sees only the branch of their
StaffPost; supervisors choose any branch."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from jaminanku.audit.services import record_list_view
from jaminanku.bookings import selectors, services
from jaminanku.bookings.forms import CapacityForm, CheckInForm, CloseForm
from jaminanku.bookings.models import Booking
from jaminanku.core.errors import DomainError
from jaminanku.offices.models import Office
from jaminanku.staff.roles import branch_of


def _office(request: HttpRequest, code: str | None) -> Office | None:
    """The branch this user may work on: their own post, or (supervisors) the one asked for."""
    scope = branch_of(request.user)
    if scope == -1:
        raise PermissionDenied
    if scope is None:
        return selectors.bookable_offices().filter(code=code).first() if code else None
    office = Office.objects.get(pk=scope)
    if code and code != office.code:
        raise Http404  # another branch: not shown, whether or not it exists
    return office


def _day(request: HttpRequest, office: Office) -> date:
    raw = request.GET.get("tanggal") or request.POST.get("tanggal") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return selectors.office_today(office)


def _back(office: Office, day: date) -> HttpResponse:
    query = urlencode({"kantor": office.code, "tanggal": day.isoformat()})
    return redirect(reverse("bookings:staff_queue") + "?" + query)


@require_GET
@staff_member_required
@permission_required("bookings.view_booking", raise_exception=True)
def day_view(request: HttpRequest) -> HttpResponse:
    office = _office(request, request.GET.get("kantor"))
    context: dict[str, object] = {"office": office, "supervisor": branch_of(request.user) is None}
    if context["supervisor"]:
        context["offices"] = selectors.bookable_offices().only("code", "name")
    if office is not None:
        day = _day(request, office)
        rows = selectors.day_list(office, day)
        # the day list names the members who booked (UU 27/2022)
        record_list_view(
            object_type="bookings.Booking",
            ids=[b.pk for r in rows for b in r.bookings],
            criteria={"office": office.code, "day": day.isoformat()},
        )
        context.update(
            day=day,
            rows=rows,
            today=selectors.office_today(office),
            checkin_form=CheckInForm(),
            close_form=CloseForm(),
            capacity_form=CapacityForm(),
            total=sum(len(r.bookings) for r in rows),
        )
    return render(request, "bookings/staff_queue.html", context)


@require_POST
@staff_member_required
@permission_required("bookings.change_booking", raise_exception=True)
def check_in(request: HttpRequest) -> HttpResponse:
    office = _required_office(request)
    day = _day(request, office)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.check_in(code=form.cleaned_data["kode"], office=office, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(code)s hadir: %(name)s, %(hour)02d:00.")
                % {"code": booking.code, "name": booking.person.full_name, "hour": booking.slot.hour},
            )
    else:
        messages.error(request, _("Ketik atau pindai kode booking."))
    return _back(office, day)


def _required_office(request: HttpRequest) -> Office:
    office = _office(request, request.POST.get("kantor"))
    if office is None:
        raise Http404
    return office


def _booking(office: Office, pk: str) -> Booking:
    booking = Booking.objects.filter(pk=pk if pk.isdigit() else 0, slot__office=office).first()
    if booking is None:
        raise Http404
    return booking


@require_POST
@staff_member_required
@permission_required("bookings.change_booking", raise_exception=True)
def status(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    office = _required_office(request)
    booking = _booking(office, pk)
    try:
        if action == "selesai":
            services.mark_served(booking=booking, actor=request.user)
            messages.success(request, _("%(code)s selesai dilayani.") % {"code": booking.code})
        elif action == "tidak-hadir":
            services.mark_no_show(booking=booking, actor=request.user)
            messages.success(request, _("%(code)s ditandai tidak hadir.") % {"code": booking.code})
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, f"{booking.code}: {exc.message}")
    return _back(office, booking.slot.day)


@require_POST
@staff_member_required
@permission_required("bookings.change_slot", raise_exception=True)
def close(request: HttpRequest) -> HttpResponse:
    office = _required_office(request)
    day = _day(request, office)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih slot yang akan ditutup."))
        return _back(office, day)
    hour = form.cleaned_data["jam"]
    affected = services.close_slots(office=office, day=day, hour=hour, actor=request.user)
    what = _("Slot %(hour)02d:00") % {"hour": hour} if hour is not None else _("Seluruh hari")
    messages.success(
        request,
        ngettext(
            "%(what)s ditutup; %(count)d peserta diberi tahu dan ditawari jadwal lain.",
            "%(what)s ditutup; %(count)d peserta diberi tahu dan ditawari jadwal lain.",
            len(affected),
        )
        % {"what": what, "count": len(affected)},
    )
    return _back(office, day)


@require_POST
@staff_member_required
@permission_required("bookings.change_slot", raise_exception=True)
def capacity(request: HttpRequest) -> HttpResponse:
    office = _required_office(request)
    day = _day(request, office)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kapasitas harus angka 0–500."))
        return _back(office, day)
    try:
        services.set_slot_capacity(
            office=office,
            day=day,
            hour=form.cleaned_data["jam"],
            capacity=form.cleaned_data["kapasitas"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Kapasitas slot diubah."))
    return _back(office, day)
