"""The 'Perangkat & sesi' pages' forms: turning the authenticator app off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.forms import current_password_field


class TotpOffForm(forms.Form):
    current_password = current_password_field(autofocus=True)
    code = forms.CharField(
        label=_("Kode dari aplikasi autentikator"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )
