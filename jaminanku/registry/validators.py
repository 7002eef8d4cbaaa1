"""Identifier validation shared by every entry point (admin, import, API, sign-up): NIK, KPJ, NPP, mobile
numbers and the name comparison used to match a person."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jaminanku.registry.nik import NikCheck, check_nik


def validate_nik_format(value: str) -> None:
    if not re.fullmatch(r"\d{16}", value or ""):
        raise ValidationError(_("NIK harus terdiri dari tepat 16 angka."), code="nik_format")


def check_person_nik(nik: str, *, date_of_birth: date | None = None, sex: str | None = None) -> NikCheck:
    return check_nik(nik, date_of_birth=date_of_birth, sex=sex)


def validate_kpj(value: str) -> None:
    if not re.fullmatch(r"\d{11}", value or ""):
        raise ValidationError(_("Nomor KPJ harus terdiri dari 11 angka."), code="kpj_format")


def validate_npp(value: str) -> None:
    if not re.fullmatch(r"\d{8}", value or ""):
        raise ValidationError(_("NPP harus terdiri dari 8 angka."), code="npp_format")


def normalise_digits(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "")


def digits_of(value: object) -> str:
    """normalise_digits of a value from a file or a caller (text, a number, None), skipping the regular
    expression for the usual all-digit text: bulk imports run this on every row."""
    if type(value) is str and value.isdigit():
        return value
    return normalise_digits(str(value or ""))


def normalise_mobile(raw: str) -> str:
    """An Indonesian mobile number in E.164 (`+628…`); accepts `08…`, `628…`, `+628…` with spaces or dashes."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise ValidationError(_("Nomor HP tidak valid."), code="phone_invalid")
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Nomor HP tidak valid."), code="phone_invalid") from exc
    if (
        number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("Masukkan nomor HP Indonesia yang aktif (08…)."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_name(raw: str) -> str:
    """Folds case, accents, punctuation and spacing so `Budi  Santoso, S.E.` matches `BUDI SANTOSO SE`."""
    text = unicodedata.normalize("NFKD", raw or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", "", text.casefold())
    return " ".join(text.split())
