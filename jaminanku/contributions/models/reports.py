"""A wage report (one employer, one month) or a batch of BPU/PMI self-payments, with its row counts and the
reasons its bad rows were refused."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WageReport(models.Model):
    class Kind(models.TextChoices):
        WAGE_REPORT = "wage_report", _("laporan upah pemberi kerja")
        SELF_PAYMENT = "self_payment", _("pembayaran mandiri BPU/PMI")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.WAGE_REPORT)
    # Null for a self-payment batch, and for a report whose NPP is not registered (then every row is refused).
    employer = models.ForeignKey(
        "registry.Employer",
        verbose_name=_("pemberi kerja"),
        null=True,
        blank=True,
        related_name="wage_reports",
        on_delete=models.PROTECT,
        db_index=False,  # wage_report_employer_period leads with it
    )
    npp = models.CharField(_("NPP pada laporan"), max_length=20, blank=True)
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan iuran."))
    filename = models.CharField(_("nama berkas"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("diimpor pada"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diimpor oleh"), null=True, blank=True, on_delete=models.SET_NULL
    )
    rows_total = models.PositiveIntegerField(_("jumlah baris"), default=0)
    rows_posted = models.PositiveIntegerField(_("baris dibukukan"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("baris duplikat"), default=0)
    errors = models.JSONField(_("kesalahan per baris"), default=list, blank=True)

    class Meta:
        verbose_name = _("laporan upah")
        verbose_name_plural = _("laporan upah")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["employer", "period"], name="wage_report_employer_period")]

    def __str__(self) -> str:
        who = self.npp or str(_("BPU/PMI"))
        return f"{who} {self.period:%m/%Y} {self.filename}".strip()
