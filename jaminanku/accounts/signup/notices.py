"""The words of the sign-up's verification codes by email and SMS. Codes never go in email subjects."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jaminanku.accounts.notices import code_warning, sms_code


def signup_email_code(code: str, resume_url: str) -> tuple[str, str]:
    subject = _("Kode verifikasi pendaftaran JaminanKu")
    body = "\n\n".join(
        [
            _("Kode verifikasi Anda: %(code)s") % {"code": code},
            code_warning(),
            _("Lanjutkan pendaftaran di perangkat mana pun: %(url)s") % {"url": resume_url},
            _("Jika Anda tidak sedang mendaftar, abaikan email ini."),
        ]
    )
    return subject, body


def signup_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("verifikasi pendaftaran"))
