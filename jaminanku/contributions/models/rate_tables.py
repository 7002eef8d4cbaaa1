"""Rate data as tables with an effective date and a source: contribution rates, wage caps and bounds, JHT
development rates and the pension age. Loaded by a data migration, editable by staff in the (audited) admin.

Which row applies to a period month is decided in `jaminanku.contributions.rates` (the row in force on the
last day of the month).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jaminanku.core.money import percent_from_ppm


class Program(models.TextChoices):
    JHT = "JHT", _("Jaminan Hari Tua (JHT)")
    JKK = "JKK", _("Jaminan Kecelakaan Kerja (JKK)")
    JKM = "JKM", _("Jaminan Kematian (JKM)")
    JP = "JP", _("Jaminan Pensiun (JP)")
    JKP = "JKP", _("Jaminan Kehilangan Pekerjaan (JKP)")


class Party(models.TextChoices):
    """Who bears a line. `government`, `from_jkk` and `from_jkm` are JKP allocations, not payments by the
    employer or the worker."""

    EMPLOYER = "employer", _("pemberi kerja")
    WORKER = "worker", _("pekerja")
    GOVERNMENT = "government", _("pemerintah")
    FROM_JKK = "from_jkk", _("rekomposisi dari iuran JKK")
    FROM_JKM = "from_jkm", _("rekomposisi dari iuran JKM")


# The parties a program's lines may have: JKP is funded by allocations only, never by the employer or worker.
PROGRAM_PARTIES = {
    Program.JHT: {Party.EMPLOYER, Party.WORKER},
    Program.JKK: {Party.EMPLOYER, Party.WORKER},
    Program.JKM: {Party.EMPLOYER, Party.WORKER},
    Program.JP: {Party.EMPLOYER, Party.WORKER},
    Program.JKP: {Party.GOVERNMENT, Party.FROM_JKK, Party.FROM_JKM},
}


class RateSegment(models.TextChoices):
    # Jakon is charged per project (contract-value tiers) and is out of scope for the wage-based tables.
    PU = "PU", _("Penerima Upah (PU)")
    BPU = "BPU", _("Bukan Penerima Upah (BPU)")
    PMI = "PMI", _("Pekerja Migran Indonesia (PMI)")


class ContributionRate(models.Model):
    """One line of the contribution schedule: `rate_ppm` of the base plus an optional flat amount."""

    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    party = models.CharField(_("pihak"), max_length=10, choices=Party.choices)
    segment = models.CharField(_("segmen"), max_length=3, choices=RateSegment.choices)
    risk_class = models.PositiveSmallIntegerField(
        _("kelas risiko"), null=True, blank=True, help_text=_("Hanya untuk JKK penerima upah (1–5).")
    )
    rate_ppm = models.PositiveIntegerField(_("tarif (ppm)"), default=0, help_text=_("Bagian per sejuta: 3,7% = 37000."))
    flat_amount = models.PositiveIntegerField(
        _("nominal tetap (Rp)"), null=True, blank=True, help_text=_("Mis. JKM BPU Rp6.800 per bulan.")
    )
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    source = models.TextField(_("sumber"))

    class Meta:
        verbose_name = _("tarif iuran")
        verbose_name_plural = _("tarif iuran")
        ordering = ["segment", "program", "party", "risk_class", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_class__isnull=True) | Q(program="JKK", risk_class__gte=1, risk_class__lte=5),
                name="rate_risk_class_only_jkk_1_5",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rate_effective_to_after_from",
            ),
            models.UniqueConstraint(
                fields=["program", "party", "segment", "risk_class", "effective_from"],
                condition=Q(risk_class__isnull=False),
                name="rate_unique_with_risk_class",
            ),
            models.UniqueConstraint(
                fields=["program", "party", "segment", "effective_from"],
                condition=Q(risk_class__isnull=True),
                name="rate_unique_without_risk_class",
            ),
        ]

    def __str__(self) -> str:
        risk = f" kelas {self.risk_class}" if self.risk_class else ""
        flat = f" + Rp{self.flat_amount}" if self.flat_amount else ""
        return f"{self.segment} {self.program} {self.party}{risk}: {percent_from_ppm(self.rate_ppm)}%{flat}"

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")})
        if self.risk_class is not None and self.program != Program.JKK:
            raise ValidationError({"risk_class": _("Kelas risiko hanya untuk program JKK.")})
        if self.program in PROGRAM_PARTIES and self.party not in PROGRAM_PARTIES[Program(self.program)]:
            raise ValidationError({"party": _("Pihak ini tidak berlaku untuk program tersebut.")})
        if not self.effective_from:
            return
        # Two rows in force on the same day for the same line would make the schedule ambiguous.
        same_line = ContributionRate.objects.filter(
            program=self.program, party=self.party, segment=self.segment, risk_class=self.risk_class
        ).exclude(pk=self.pk)
        overlapping = same_line.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        if self.effective_to:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        if overlapping.exists():
            raise ValidationError(_("Masa berlaku bertumpang tindih dengan tarif lain untuk baris yang sama."))


class WageCap(models.Model):
    """A bound on the base of a contribution: a cap that clips the base (JP, JKP), or a minimum/maximum outside
    which the base is refused (BPU declared income from Rp1,000,000; PMI monthly JHT Rp50,000–600,000).

    A row is in force from `effective_from` until the next row for the same (program, segment, kind)."""

    class Kind(models.TextChoices):
        CAP = "cap", _("batas atas (upah dipotong)")
        MINIMUM = "min", _("batas bawah (ditolak bila kurang)")
        MAXIMUM = "max", _("batas atas (ditolak bila lebih)")

    program = models.CharField(
        _("program"), max_length=3, choices=Program.choices, blank=True, help_text=_("Kosong: untuk semua program.")
    )
    segment = models.CharField(_("segmen"), max_length=3, choices=RateSegment.choices, default=RateSegment.PU)
    kind = models.CharField(_("jenis batas"), max_length=3, choices=Kind.choices, default=Kind.CAP)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    effective_from = models.DateField(_("berlaku mulai"))
    source = models.TextField(_("sumber"))

    class Meta:
        verbose_name = _("batas upah")
        verbose_name_plural = _("batas upah")
        ordering = ["segment", "program", "kind", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "segment", "kind", "effective_from"], name="wage_cap_unique_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment} {self.program or '*'} {self.kind} Rp{self.amount:,} {self.effective_from:%d/%m/%Y}"


class DevelopmentRate(models.Model):
    """The JHT development (hasil pengembangan) rate credited for a year. Only sourced rows have assumed=False."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    rate_ppm = models.PositiveIntegerField(_("tarif (ppm)"), help_text=_("Bagian per sejuta: 7,19% = 71900."))
    source = models.TextField(_("sumber"))
    assumed = models.BooleanField(_("asumsi"), default=True, help_text=_("Bukan tarif resmi yang dikreditkan."))

    class Meta:
        verbose_name = _("tarif hasil pengembangan JHT")
        verbose_name_plural = _("tarif hasil pengembangan JHT")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {percent_from_ppm(self.rate_ppm)}%{' (asumsi)' if self.assumed else ''}"


class PensionAge(models.Model):
    """The JP pension age in force from a date (PP 45/2015 art. 15: 56, 57 from 2019, +1 every 3 years to 65)."""

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    age = models.PositiveSmallIntegerField(_("usia pensiun"))
    source = models.TextField(_("sumber"))

    class Meta:
        verbose_name = _("usia pensiun")
        verbose_name_plural = _("usia pensiun")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.age} ({self.effective_from:%d/%m/%Y})"
