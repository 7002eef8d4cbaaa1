"""Benefit figures that change by year (JP minimum and maximum pension, JKM amounts, the JKP cash benefit), as data
with a source, read by the calculators and the program pages instead of being typed into text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitFigure(models.Model):
    class Name(models.TextChoices):
        JP_MIN_MONTHLY = "jp_min_monthly", _("JP: manfaat pensiun bulanan minimum")
        JP_MAX_MONTHLY = "jp_max_monthly", _("JP: manfaat pensiun bulanan maksimum")
        JKM_LUMP_SUM = "jkm_lump_sum", _("JKM: santunan sekaligus")
        JKM_PERIODIC = "jkm_periodic", _("JKM: santunan berkala (24 bulan, dibayar sekaligus)")
        JKM_FUNERAL = "jkm_funeral", _("JKM: biaya pemakaman")
        JKM_SCHOLARSHIP_MAX = "jkm_scholarship_max", _("JKM/JKK: beasiswa maksimum untuk 2 anak")
        JKK_DEATH_WAGE_MONTHS = "jkk_death_wage_months", _("JKK: santunan kematian (kali upah)")
        JKK_DISABILITY_WAGE_MONTHS = "jkk_disability_wage_months", _("JKK: cacat total tetap (kali upah)")
        JKP_CASH_PERCENT = "jkp_cash_percent", _("JKP: uang tunai sebulan (persen upah)")
        JKP_CASH_MONTHS = "jkp_cash_months", _("JKP: lama uang tunai (bulan)")

    name = models.CharField(_("besaran"), max_length=40, choices=Name.choices)
    effective_from = models.DateField(_("berlaku mulai"))
    amount = models.BigIntegerField(_("nilai"))
    source = models.TextField(_("sumber"))
    derived = models.BooleanField(_("hasil hitungan"), default=False)

    class Meta:
        verbose_name = _("besaran manfaat")
        verbose_name_plural = _("besaran manfaat")
        ordering = ["name", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["name", "effective_from"], name="benefit_figure_once")]

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.effective_from:%d/%m/%Y}"


class ProgramText(models.Model):
    """One version of a program page's text. Rows are never edited: staff add a new version, the newest per
    program and language is shown, and the older ones stay as history. Figures that change by year are written
    as placeholders (e.g. `{jp_wage_cap}`) and filled from the data tables when the page is shown."""

    class Program(models.TextChoices):
        JHT = "JHT", "JHT"
        JKK = "JKK", "JKK"
        JKM = "JKM", "JKM"
        JP = "JP", "JP"
        JKP = "JKP", "JKP"

    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    language = models.CharField(_("bahasa"), max_length=2, choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(
        _("isi"), help_text=_("Teks biasa; baris kosong memisahkan paragraf. Angka tahunan ditulis sebagai {nama}.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("penulis"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("teks program")
        verbose_name_plural = _("teks program")
        ordering = ["program", "language", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.program} ({self.language}) {self.created_at:%d/%m/%Y %H:%M}"
