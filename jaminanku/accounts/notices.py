"""The words of the emails and SMS the accounts app sends, in the language active when they are written (the
member's on their own actions, Indonesian for staff decisions); codes never go in email subjects. Here: what every
flow's words share, and the password change (the services at this level send it); each flow's own words
are in its `notices.py`."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from jaminanku.audit.context import current_request

CALL_CENTRE = "175"


def absolute_url(path: str) -> str:
    """`settings.PUBLIC_BASE_URL` + path when set (workers have no request); else the current request's host."""
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    request = current_request()
    return request.build_absolute_uri(path) if request is not None else path


def code_warning() -> str:
    return _("Kode berlaku 10 menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas.")


def sms_code(code: str, what: str) -> tuple[str, str]:
    return "", _("JaminanKu: kode %(what)s Anda %(code)s. Berlaku 10 menit. JANGAN berikan kepada siapa pun.") % {
        "what": what,
        "code": code,
    }


def not_you() -> str:
    return _("Jika bukan Anda yang melakukannya, segera hubungi call center %(number)s.") % {"number": CALL_CENTRE}


def password_changed() -> tuple[str, str]:
    subject = _("Kata sandi JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Kata sandi akun JaminanKu Anda baru saja diganti. Semua sesi lain sudah diakhiri."), not_you()]
    )
    return subject, body
