"""Calculator inputs: whole rupiah, bounded, with Indonesian messages."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.core.money import format_percent
from jaminanku.programs.selectors import jkk_risk_class_rates

MAX_WAGE = 1_000_000_000


class ContributionForm(forms.Form):
    wage = forms.IntegerField(label=_("Upah sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)
    risk_class = forms.TypedChoiceField(label=_("Kelas risiko JKK"), coerce=int, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # each class with its rate in force, read from the rate table like the calculation itself
        risk_class = cast(forms.TypedChoiceField, self.fields["risk_class"])
        risk_class.choices = [
            (risk, f"{risk}: {format_percent(rate_ppm)}") for risk, rate_ppm in sorted(jkk_risk_class_rates().items())
        ]


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


class JkpForm(forms.Form):
    wage = forms.IntegerField(label=_("Upah terakhir sebulan (Rp)"), min_value=1, max_value=MAX_WAGE)
