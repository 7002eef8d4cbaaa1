"""Agency offices: regional offices, branches and small branches, and the branch that looks after each employer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "kanwil", _("Kantor wilayah")
        BRANCH = "kc", _("Kantor cabang")
        SMALL_BRANCH = "kcp", _("Kantor cabang perintis")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    code = models.CharField(_("kode"), max_length=12, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices, default=Kind.BRANCH)
    province = models.ForeignKey("registry.Province", verbose_name=_("provinsi"), on_delete=models.PROTECT)
    regency = models.ForeignKey(
        "registry.Regency", verbose_name=_("kabupaten/kota"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    city = models.CharField(_("kota/kabupaten"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    opening_hours = models.CharField(_("jam layanan"), max_length=100, blank=True, default="Senin–Jumat 08.00–16.00")
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    coordinates_approximate = models.BooleanField(
        _("koordinat perkiraan"),
        default=True,
        help_text=_("Titik wilayah kota atau kecamatan dari data wilayah, bukan alamat kantor."),
    )
    source = models.CharField(_("sumber data"), max_length=255, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    queue_capacity = models.PositiveSmallIntegerField(
        _("kapasitas antrian per slot"), default=20, help_text=_("Berlaku untuk slot yang belum dibuka.")
    )
    time_zone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB)

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EmployerBranch(models.Model):
    """The branch office that looks after an employer (kantor cabang pembina), one row per employer that has one.

    It lives here, not as a field of the registry's Employer, so that dependencies point one way: offices sit in
    the registry's regions, and the registry knows nothing of offices."""

    employer = models.OneToOneField(
        "registry.Employer",
        verbose_name=_("pemberi kerja"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="branch",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("kantor cabang pembina"), on_delete=models.PROTECT, related_name="employers"
    )

    class Meta:
        verbose_name = _("kantor cabang pembina")
        verbose_name_plural = _("kantor cabang pembina")

    def __str__(self) -> str:
        return f"{self.employer} – {self.office}"
