"""The fields every accounts page shapes the same way (email, phone, a code, a new or the current password) and the
code form that several flows ask for; each flow's own forms live in its `forms.py`. Forms only shape the input
(types, widgets, labels); every rule is checked by the services, whose DomainError the views put back on the
field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def email_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def phone_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Nomor HP"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "08…", "autofocus": True}
        ),
    )


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Kode verifikasi (6 angka)"),
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )


def new_password_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Kata sandi"),
        strip=False,
        max_length=128,
        help_text=_("Minimal 8 karakter; jangan memakai nama, email, atau kata sandi yang umum."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-strength": "1"}),
    )


def current_password_field(autofocus: bool = False) -> forms.CharField:
    attrs: dict[str, Any] = {"autocomplete": "current-password"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.CharField(label=_("Kata sandi saat ini"), strip=False, widget=forms.PasswordInput(attrs=attrs))


class CodeForm(forms.Form):
    code = code_field()
