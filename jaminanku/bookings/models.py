"""The branch queue (antrian online): hourly slots with a capacity the database enforces, and bookings."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

DEFAULT_CAPACITY = 20


class Service(models.TextChoices):
    JHT_CLAIM = "jht_claim", _("Klaim JHT")
    DATA_UPDATE = "data_update", _("Pengkinian data")


class Slot(models.Model):
    """One hour at one branch on one day. `booked` never exceeds `capacity`: a check constraint, and bookings
    take a place with a conditional UPDATE, so concurrent requests cannot overbook."""

    office = models.ForeignKey(
        "offices.Office", verbose_name=_("kantor"), related_name="slots", on_delete=models.PROTECT
    )
    day = models.DateField(_("tanggal"))
    hour = models.PositiveSmallIntegerField(_("jam mulai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=DEFAULT_CAPACITY)
    booked = models.PositiveSmallIntegerField(_("terisi"), default=0)
    closed = models.BooleanField(_("ditutup"), default=False)

    class Meta:
        verbose_name = _("slot antrian")
        verbose_name_plural = _("slot antrian")
        ordering = ["office", "day", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "hour"], name="one_slot_per_office_hour"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"),
            models.CheckConstraint(condition=Q(hour__gte=0, hour__lte=23), name="slot_hour_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} {self.day:%d/%m/%Y} {self.hour:02d}:00"

    @property
    def places_left(self) -> int:
        return 0 if self.closed else max(0, self.capacity - self.booked)


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Terdaftar")
        CHECKED_IN = "checked_in", _("Hadir")
        SERVED = "served", _("Selesai dilayani")
        CANCELLED = "cancelled", _("Dibatalkan")
        NO_SHOW = "no_show", _("Tidak hadir")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    code = models.CharField(_("kode booking"), max_length=12, unique=True)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("peserta"), related_name="bookings", on_delete=models.PROTECT
    )
    membership = models.ForeignKey(
        "registry.Membership", verbose_name=_("KPJ"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    service = models.CharField(_("layanan"), max_length=20, choices=Service.choices)
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), related_name="bookings", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("booking antrian")
        verbose_name_plural = _("booking antrian")
        ordering = ["slot__day", "slot__hour", "created_at"]
        constraints = [
            # One active booking per person per service, held by the database.
            models.UniqueConstraint(
                fields=["person", "service"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="one_active_booking_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_service_display()}"
