"""Agency offices: regional offices, branches and small branches."""

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
    time_zone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB)

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
