"""The words of the login's second-step code by email or SMS. Codes never go in email subjects."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jaminanku.accounts.notices import code_warning, sms_code


def login_email_code(code: str) -> tuple[str, str]:
    subject = _("Kode masuk JaminanKu")
    body = "\n\n".join(
        [
            _("Kode untuk masuk ke akun JaminanKu Anda: %(code)s") % {"code": code},
            code_warning(),
            _(
                "Kode ini diminta setelah kata sandi Anda dimasukkan dengan benar. Jika bukan Anda, segera ganti kata "
                "sandi Anda."
            ),
        ]
    )
    return subject, body


def login_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("masuk"))
