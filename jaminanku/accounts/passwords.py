"""The documented list of context-specific words that may not make up a password (ASVS 6.1.2 and 6.2.11): the
agency's and the app's names and the programme words members see every day. Used as a Django password
validator (AUTH_PASSWORD_VALIDATORS), so the sign-up, a reset, a recovery and a change all apply it."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTEXT_WORDS = (
    "jaminanku",
    "jaminan",
    "bpjs",
    "bpjstk",
    "bpjstku",
    "ketenagakerjaan",
    "jamsostek",
    "jmo",
    "jht",
    "jkk",
    "jkm",
    "jp",
    "kpj",
    "npp",
    "nik",
    "peserta",
    "pensiun",
    "katasandi",
    "sandi",
)
# a password whose letters are nothing but these words (in any case, with any digits and symbols between them)
_ONLY_CONTEXT_WORDS = re.compile("(?:" + "|".join(sorted(CONTEXT_WORDS, key=len, reverse=True)) + ")+")


class ContextWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        letters = re.sub(r"[^a-z]", "", (password or "").lower())
        if letters and _ONLY_CONTEXT_WORDS.fullmatch(letters):
            raise ValidationError(
                _("Kata sandi ini mudah ditebak: jangan hanya memakai nama layanan seperti BPJS atau JaminanKu."),
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh hanya berisi nama layanan seperti BPJS atau JaminanKu.")
