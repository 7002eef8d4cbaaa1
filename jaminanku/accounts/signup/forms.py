"""The sign-up pages' forms (each step asks one thing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.forms import email_field, new_password_field, phone_field

SEGMENT_CHOICES = [
    ("PU", _("Penerima Upah (PU) — karyawan perusahaan")),
    ("BPU", _("Bukan Penerima Upah (BPU) — pekerja mandiri")),
    ("PMI", _("Pekerja Migran Indonesia (PMI)")),
]


class EmailForm(forms.Form):
    email = email_field()


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
    phone = phone_field()


class PasswordForm(forms.Form):
    strength_hint = True
    password = new_password_field()
