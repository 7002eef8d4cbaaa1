"""Calculator inputs: whole rupiah, bounded, with Indonesian messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_WAGE = 1_000_000_000


class ContributionForm(forms.Form):
    wage = forms.IntegerField(label=_("Upah sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)
    risk_class = forms.TypedChoiceField(
        label=_("Kelas risiko JKK"),
        coerce=int,
        initial=1,
        choices=[(1, "0,24%"), (2, "0,54%"), (3, "0,89%"), (4, "1,27%"), (5, "1,74%")],
    )


class ProjectionForm(forms.Form):
    balance = forms.IntegerField(label=_("Saldo JHT sekarang (Rp)"), min_value=0, max_value=10 * MAX_WAGE, initial=0)
    wage = forms.IntegerField(label=_("Upah sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)
    growth = forms.DecimalField(
        label=_("Kenaikan upah per tahun (%)"), min_value=0, max_value=30, initial=5, decimal_places=2
    )
    years = forms.IntegerField(label=_("Tahun sampai usia pensiun"), min_value=1, max_value=50, initial=10)
    rate = forms.DecimalField(
        label=_("Asumsi hasil pengembangan per tahun (%)"), min_value=0, max_value=20, initial=6, decimal_places=2
    )


class PensionForm(forms.Form):
    months = forms.IntegerField(label=_("Lama iuran JP (bulan)"), min_value=1, max_value=600, initial=180)
    wage = forms.IntegerField(label=_("Rata-rata upah sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)


class DeathForm(forms.Form):
    wage = forms.IntegerField(label=_("Upah sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)
