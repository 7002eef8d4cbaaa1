"""Forms of the accounts pages. They only shape the input (types, widgets, labels); every rule is checked by
the services, whose DomainError the views put back on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

SEGMENT_CHOICES = [
    ("PU", _("Penerima Upah (PU) — karyawan perusahaan")),
    ("BPU", _("Bukan Penerima Upah (BPU) — pekerja mandiri")),
    ("PMI", _("Pekerja Migran Indonesia (PMI)")),
]


def _email_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _phone_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Nomor HP"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "08…", "autofocus": True}
        ),
    )


def _code_field() -> forms.CharField:
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


def _new_password_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Kata sandi"),
        strip=False,
        max_length=128,
        help_text=_("Minimal 8 karakter; jangan memakai nama, email, atau kata sandi yang umum."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-strength": "1"}),
    )


class EmailForm(forms.Form):
    email = _email_field()


class CodeForm(forms.Form):
    code = _code_field()


class SegmentForm(forms.Form):
    segment = forms.ChoiceField(label=_("Pilih Kepesertaan"), choices=SEGMENT_CHOICES, widget=forms.RadioSelect)


class NameForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap sesuai KTP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )


class BirthDateForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Tanggal lahir sesuai e-KTP"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday", "autofocus": True}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Masukkan tanggal lahir yang valid (hh/bb/tttt).")},
    )


class NikForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK (Nomor Induk Kependudukan)"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
    )


class KpjForm(forms.Form):
    kpj = forms.CharField(
        label=_("Nomor Kartu Peserta Jamsostek (KPJ)"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
    )


class PhoneForm(forms.Form):
    phone = _phone_field()


class PasswordForm(forms.Form):
    strength_hint = True
    password = _new_password_field()


class ResetRequestForm(forms.Form):
    contact_email = _email_field(_("Email yang bisa dihubungi"))
    contact_phone = _phone_field(_("Nomor HP yang bisa dihubungi"))


class ResetStatusForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor pelacakan"), max_length=20)


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


class ForgotPasswordForm(forms.Form):
    email = _email_field()


class ResetPasswordForm(forms.Form):
    strength_hint = True
    code = _code_field()
    password = _new_password_field(_("Kata sandi baru"))


def _current_password_field(autofocus: bool = False) -> forms.CharField:
    attrs: dict[str, Any] = {"autocomplete": "current-password"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.CharField(label=_("Kata sandi saat ini"), strip=False, widget=forms.PasswordInput(attrs=attrs))


class ChangeEmailForm(forms.Form):
    email = _email_field(_("Email baru"))
    current_password = _current_password_field()


class ChangePhoneForm(forms.Form):
    phone = _phone_field(_("Nomor HP baru"))
    current_password = _current_password_field()


class ChangePasswordForm(forms.Form):
    strength_hint = True
    current_password = _current_password_field(autofocus=True)
    password = _new_password_field(_("Kata sandi baru"))


class LoginCodeForm(forms.Form):
    """The login's second step: a code (by email, SMS or from an authenticator app) and whether to trust this
    device for ACCOUNTS_TRUSTED_DEVICE_DAYS (on by default; off on a shared or public computer)."""

    code = _code_field()
    trust = forms.BooleanField(
        required=False, initial=True, help_text=_("Jangan centang di komputer umum atau HP orang lain.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.ACCOUNTS_TRUSTED_DEVICE_DAYS
        self.fields["trust"].label = _("Percayai perangkat ini selama %(days)s hari") % {"days": days}


class TotpOffForm(forms.Form):
    current_password = _current_password_field(autofocus=True)
    code = forms.CharField(
        label=_("Kode dari aplikasi autentikator"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )
