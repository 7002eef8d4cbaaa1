"""Password rules beyond Django's own, used as password validators (AUTH_PASSWORD_VALIDATORS), so the sign-up, a
reset, a recovery and a change all apply them:

- the documented list of context-specific words that may not make up a password (ASVS 6.1.2 and 6.2.11): the
  agency's and the app's names and the programme words members see every day;
- the breached-password set (ASVS 6.2.12): pwned-passwords-django asks the Pwned Passwords range API, which sees
  only the first five hex digits of the password's SHA-1 (k-anonymity). `PWNED_PASSWORDS_URL` names the service —
  the public one, or the agency's own mirror of the downloadable set; empty turns the outbound check off. When the
  service cannot be reached the library falls back to Django's common-password list (itself drawn from breaches),
  so a password is never refused or let through silently because of an outage.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pwned_passwords_django.api import PwnedPasswords
from pwned_passwords_django.validators import PwnedPasswordsValidator

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


_BREACHED_MESSAGE = gettext_lazy(
    "Kata sandi ini pernah bocor dalam kebocoran data di internet, jadi mudah dicoba orang lain. Pilih kata sandi lain."
)


@cache
def _range_validator(url: str) -> PwnedPasswordsValidator:
    """One validator per service address: its client keeps pooled connections, and making one reads Django's
    common-password list (its fallback) from disk, about 50 ms, which each check otherwise paid again."""
    client = PwnedPasswords()
    client.api_endpoint = url
    return PwnedPasswordsValidator(error_message=_BREACHED_MESSAGE, api_client=client)


class BreachedPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        url = getattr(settings, "PWNED_PASSWORDS_URL", "")
        if not url:
            return
        _range_validator(url if url.endswith("/") else url + "/").validate(password, user)

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh termasuk kata sandi yang pernah bocor.")
