"""The words of the account page's changes of email and phone: the code to the new address, and the notice to the
old email once the change is made. Codes never go in email subjects."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jaminanku.accounts.notices import code_warning, not_you, sms_code
from jaminanku.core.masking import mask_email, mask_phone


def change_email_code(code: str) -> tuple[str, str]:
    subject = _("Kode verifikasi email baru JaminanKu")
    body = "\n\n".join([_("Kode verifikasi email baru Anda: %(code)s") % {"code": code}, code_warning()])
    return subject, body


def change_phone_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("ganti nomor HP"))


def email_changed(new_email: str) -> tuple[str, str]:
    subject = _("Email akun JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Email akun JaminanKu Anda sekarang %(email)s.") % {"email": mask_email(new_email)}, not_you()]
    )
    return subject, body


def phone_changed(new_phone: str) -> tuple[str, str]:
    subject = _("Nomor HP akun JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Nomor HP akun JaminanKu Anda sekarang %(phone)s.") % {"phone": mask_phone(new_phone)}, not_you()]
    )
    return subject, body
