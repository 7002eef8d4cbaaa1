"""Forms of the queue pages. The member's booking form resolves its choices step by step from what was already
chosen (service → province → branch → day → hour), so a wrong value gets its own message and the earlier
choices stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.bookings.calendar import SLOT_HOURS, SlotView, availability, free_days
from jaminanku.bookings.models import Service
from jaminanku.bookings.selectors import branches_in, provinces_with_branches
from jaminanku.offices.models import Office

STEPS = ("layanan", "provinsi", "kantor", "tanggal", "jam")
WEEKDAYS = (_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min"))
# the services' field names, mapped onto this form's
SERVICE_FIELDS = {"service": "layanan", "office": "kantor", "day": "tanggal", "hour": "jam"}


@dataclass(frozen=True)
class CalendarCell:
    day: date
    places: int  # 0: not bookable (weekend, holiday, full, out of range)
    checked: bool

    @property
    def value(self) -> str:
        return self.day.isoformat()


def calendar_weeks(free: dict[date, int], chosen: date | None) -> list[list[CalendarCell | None]]:
    """Monday-to-Sunday weeks from the first to the last bookable day; only days with places are selectable."""
    if not free:
        return []
    first, last = min(free), max(free)
    day = first - timedelta(days=first.weekday())
    weeks: list[list[CalendarCell | None]] = []
    while day <= last:
        week: list[CalendarCell | None] = []
        for _i in range(7):
            week.append(CalendarCell(day, free.get(day, 0), day == chosen) if first <= day <= last else None)
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


class SlotChoiceMixin:
    """Day and hour choices for one branch: free days from the calendar, hours with places left."""

    office: Office | None
    free: dict[date, int]
    slots: list[SlotView]
    fields: dict[str, forms.Field]

    def _choices(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def _load_days(self, office: Office, raw_day: str | None, now: datetime | None) -> None:
        self.free = dict(free_days(office, now=now))
        self._choices("tanggal").choices = [(d.isoformat(), d.isoformat()) for d in self.free]
        day = next((d for d in self.free if d.isoformat() == raw_day), None)
        self.slots = availability(office, [day])[day] if day else []
        self._choices("jam").choices = [(str(v.hour), v.label) for v in self.slots if v.places_left]

    def chosen_day(self) -> date | None:
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return date.fromisoformat(cleaned["tanggal"]) if cleaned.get("tanggal") else None

    @property
    def weekdays(self) -> list[str]:
        return [str(d) for d in WEEKDAYS]

    @property
    def weeks(self) -> list[list[CalendarCell | None]]:
        return calendar_weeks(self.free, self.chosen_day())


def _choice(label: Any, invalid: Any, widget: type[forms.Widget] = forms.Select) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, widget=widget, error_messages={"invalid_choice": invalid, "required": invalid}
    )


class BookingForm(SlotChoiceMixin, forms.Form):
    layanan = _choice(_("Layanan"), _("Pilih layanan."), forms.RadioSelect)
    provinsi = _choice(_("Provinsi"), _("Pilih provinsi dari daftar."))
    kantor = _choice(_("Kantor cabang"), _("Pilih kantor cabang di provinsi ini."))
    tanggal = _choice(_("Tanggal"), _("Tanggal ini tidak tersedia. Pilih tanggal lain dari kalender."))
    jam = _choice(_("Jam"), _("Jam ini tidak tersedia (penuh atau ditutup). Pilih jam lain."))

    def __init__(self, data: Any = None, *, final: bool = False, now: datetime | None = None) -> None:
        super().__init__(data)
        raw = data or {}
        self.final = final
        self.office = None
        self.free, self.slots = {}, []
        self._choices("layanan").choices = list(Service.choices)
        provinces = list(provinces_with_branches())
        self._choices("provinsi").choices = [("", _("— pilih provinsi —"))] + [(p.code, p.name) for p in provinces]
        if raw.get("provinsi") in {p.code for p in provinces}:
            branches = list(branches_in(raw["provinsi"]))
            self._choices("kantor").choices = [("", _("— pilih kantor —"))] + [(o.code, o.name) for o in branches]
            self.office = next((o for o in branches if o.code == raw.get("kantor")), None)
        if self.office is not None:
            self._load_days(self.office, raw.get("tanggal"), now)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.final:
            for name in STEPS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    @property
    def step(self) -> str:
        """The first step still to choose (or "done")."""
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return next((name for name in STEPS if not cleaned.get(name)), "done")

    @property
    def visible(self) -> dict[str, bool]:
        """Which steps the page shows: every step up to the first one still to choose."""
        last = STEPS.index(self.step) if self.step != "done" else len(STEPS) - 1
        return {name: i <= last for i, name in enumerate(STEPS)}


class RescheduleForm(SlotChoiceMixin, forms.Form):
    tanggal = _choice(_("Tanggal"), _("Tanggal ini tidak tersedia. Pilih tanggal lain dari kalender."))
    jam = _choice(_("Jam"), _("Jam ini tidak tersedia (penuh atau ditutup). Pilih jam lain."))

    def __init__(self, data: Any = None, *, office: Office, final: bool = False, now: datetime | None = None):
        super().__init__(data)
        self.office, self.final = office, final
        self._load_days(office, (data or {}).get("tanggal"), now)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.final:
            for name in ("tanggal", "jam"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned


# --- staff ---------------------------------------------------------------------------------------------------
class CheckInForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode booking"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}),
    )


class CloseForm(forms.Form):
    jam = forms.TypedChoiceField(
        label=_("Slot"), required=False, coerce=int, empty_value=None, choices=[("", _("Seluruh hari"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["jam"]).choices = [("", _("Seluruh hari"))] + [
            (h, f"{h:02d}:00–{h + 1:02d}:00") for h in SLOT_HOURS
        ]


class CapacityForm(forms.Form):
    jam = forms.TypedChoiceField(label=_("Slot"), coerce=int, choices=[(h, f"{h:02d}:00") for h in SLOT_HOURS])
    kapasitas = forms.IntegerField(label=_("Kapasitas"), min_value=0, max_value=500)
