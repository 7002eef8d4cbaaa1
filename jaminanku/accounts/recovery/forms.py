"""The recovery pages' forms: forgotten password, and the account-reset request and its status."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.forms import code_field, email_field, new_password_field, phone_field


class ResetRequestForm(forms.Form):
    contact_email = email_field(_("Email yang bisa dihubungi"))
    contact_phone = phone_field(_("Nomor HP yang bisa dihubungi"))


class ResetStatusForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor pelacakan"), max_length=20)


class ForgotPasswordForm(forms.Form):
    email = email_field()


class ResetPasswordForm(forms.Form):
    strength_hint = True
    code = code_field()
    password = new_password_field(_("Kata sandi baru"))
