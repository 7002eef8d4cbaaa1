"""The account page's forms: the member's own changes of email, phone and password."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.forms import current_password_field, email_field, new_password_field, phone_field


class ChangeEmailForm(forms.Form):
    email = email_field(_("Email baru"))
    current_password = current_password_field()


class ChangePhoneForm(forms.Form):
    phone = phone_field(_("Nomor HP baru"))
    current_password = current_password_field()


class ChangePasswordForm(forms.Form):
    strength_hint = True
    current_password = current_password_field(autofocus=True)
    password = new_password_field(_("Kata sandi baru"))
