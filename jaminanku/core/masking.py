"""Masks personal data for screens, documents and logs: NIK, email and phone (UU 27/2022 data minimisation)."""

from __future__ import annotations


def mask_nik(nik: str) -> str:
    """`3201011708850001` → `3201********0001`."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def _mask_word(word: str) -> str:
    if len(word) <= 2:
        return word[:1] + "***"
    return f"{word[0]}***{word[-1]}"


def mask_email(email: str) -> str:
    """`budi@gmail.com` → `b***i@g***l.com` (the style the seed's "data sudah terdaftar" screen shows)."""
    local, _, domain = (email or "").partition("@")
    if not domain:
        return _mask_word(local)
    host, dot, tld = domain.rpartition(".")
    return f"{_mask_word(local)}@{_mask_word(host)}{dot}{tld}" if host else f"{_mask_word(local)}@{_mask_word(tld)}"


def mask_phone(phone: str) -> str:
    """`+6281234567890` → `+62812****7890`."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:6] + "*" * (len(phone) - 10) + phone[-4:]
