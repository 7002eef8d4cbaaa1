"""The login pages' forms: email and password, then the second step's code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.forms import code_field


class LoginForm(AuthenticationForm):
    """Django's login form with the email as the username (accounts use the email as their username)."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("Email atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class LoginCodeForm(forms.Form):
    """The login's second step: a code (by email, SMS or from an authenticator app) and whether to trust this
    device for ACCOUNTS_TRUSTED_DEVICE_DAYS (on by default; off on a shared or public computer)."""

    code = code_field()
    trust = forms.BooleanField(
        required=False, initial=True, help_text=_("Jangan centang di komputer umum atau HP orang lain.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.ACCOUNTS_TRUSTED_DEVICE_DAYS
        self.fields["trust"].label = _("Percayai perangkat ini selama %(days)s hari") % {"days": days}
