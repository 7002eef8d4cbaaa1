"""A wage report (one employer, one month) or a batch of BPU/PMI self-payments, with its row counts, the
reasons its bad rows were refused, and its payment: due date, day paid, amount due and late fine (`due`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions import due
from jaminanku.registry.models import Employer


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
    # Both empty only on reports posted before payments were dated (nothing to judge them by).
    due_date = models.DateField(_("jatuh tempo"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    amount_due = models.BigIntegerField(
        _("jumlah iuran"), default=0, help_text=_("Iuran pemberi kerja dan pekerja dari baris yang dibukukan.")
    )
    late_fine = models.BigIntegerField(_("denda keterlambatan"), default=0)

    class Meta:
        verbose_name = _("laporan upah")
        verbose_name_plural = _("laporan upah")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["employer", "period"], name="wage_report_employer_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True, paid_on__isnull=True)
                | Q(due_date__isnull=False, paid_on__isnull=False),
                name="wage_report_due_and_paid_together",
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0, late_fine__gte=0), name="wage_report_amounts_not_negative"
            ),
            # a fine only for a late employer's report (due.late_fine)
            models.CheckConstraint(
                condition=Q(late_fine=0) | Q(kind="wage_report", paid_on__gt=F("due_date")),
                name="wage_report_fine_only_when_late",
            ),
        ]

    def __str__(self) -> str:
        who = self.npp or str(_("BPU/PMI"))
        return f"{who} {self.period:%m/%Y} {self.filename}".strip()

    @property
    def days_late(self) -> int | None:
        if self.due_date is None or self.paid_on is None:
            return None
        return due.days_late(self.due_date, self.paid_on)

    @property
    def months_late(self) -> int | None:
        if self.due_date is None or self.paid_on is None:
            return None
        return due.months_late(self.due_date, self.paid_on)

    @property
    def is_late(self) -> bool:
        return bool(self.days_late)


class EmployerArrears(Employer):
    """Employers seen by their payments: the staff list of employers in arrears (`arrears`). No table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("tunggakan pemberi kerja")
        verbose_name_plural = _("tunggakan pemberi kerja")
