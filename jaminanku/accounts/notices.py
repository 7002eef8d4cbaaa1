"""The words of every email and SMS the accounts app sends, in the language active when it is written
(the member's on their own actions, Indonesian for staff decisions). Codes never go in email subjects."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jaminanku.audit.context import current_request
from jaminanku.core.masking import mask_email, mask_phone

CALL_CENTRE = "175"


def absolute_url(path: str) -> str:
    """`settings.PUBLIC_BASE_URL` + path when set (workers have no request); else the current request's host."""
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    request = current_request()
    return request.build_absolute_uri(path) if request is not None else path


def _code_warning() -> str:
    return _("Kode berlaku 10 menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas.")


def signup_email_code(code: str, resume_url: str) -> tuple[str, str]:
    subject = _("Kode verifikasi pendaftaran JaminanKu")
    body = "\n\n".join(
        [
            _("Kode verifikasi Anda: %(code)s") % {"code": code},
            _code_warning(),
            _("Lanjutkan pendaftaran di perangkat mana pun: %(url)s") % {"url": resume_url},
            _("Jika Anda tidak sedang mendaftar, abaikan email ini."),
        ]
    )
    return subject, body


def sms_code(code: str, what: str) -> tuple[str, str]:
    return "", _("JaminanKu: kode %(what)s Anda %(code)s. Berlaku 10 menit. JANGAN berikan kepada siapa pun.") % {
        "what": what,
        "code": code,
    }


def signup_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("verifikasi pendaftaran"))


def recovery_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("pemulihan akun"))


def change_phone_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("ganti nomor HP"))


def login_email_code(code: str) -> tuple[str, str]:
    subject = _("Kode masuk JaminanKu")
    body = "\n\n".join(
        [
            _("Kode untuk masuk ke akun JaminanKu Anda: %(code)s") % {"code": code},
            _code_warning(),
            _(
                "Kode ini diminta setelah kata sandi Anda dimasukkan dengan benar. Jika bukan Anda, segera ganti kata "
                "sandi Anda."
            ),
        ]
    )
    return subject, body


def login_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("masuk"))


def password_reset_code(code: str) -> tuple[str, str]:
    subject = _("Kode atur ulang kata sandi JaminanKu")
    body = "\n\n".join(
        [
            _("Kode untuk mengatur ulang kata sandi Anda: %(code)s") % {"code": code},
            _code_warning(),
            _("Jika Anda tidak memintanya, abaikan email ini; kata sandi Anda tidak berubah."),
        ]
    )
    return subject, body


def change_email_code(code: str) -> tuple[str, str]:
    subject = _("Kode verifikasi email baru JaminanKu")
    body = "\n\n".join([_("Kode verifikasi email baru Anda: %(code)s") % {"code": code}, _code_warning()])
    return subject, body


def _not_you() -> str:
    return _("Jika bukan Anda yang melakukannya, segera hubungi call center %(number)s.") % {"number": CALL_CENTRE}


def email_changed(new_email: str) -> tuple[str, str]:
    subject = _("Email akun JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Email akun JaminanKu Anda sekarang %(email)s.") % {"email": mask_email(new_email)}, _not_you()]
    )
    return subject, body


def phone_changed(new_phone: str) -> tuple[str, str]:
    subject = _("Nomor HP akun JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Nomor HP akun JaminanKu Anda sekarang %(phone)s.") % {"phone": mask_phone(new_phone)}, _not_you()]
    )
    return subject, body


def password_changed() -> tuple[str, str]:
    subject = _("Kata sandi JaminanKu Anda diganti")
    body = "\n\n".join(
        [_("Kata sandi akun JaminanKu Anda baru saja diganti. Semua sesi lain sudah diakhiri."), _not_you()]
    )
    return subject, body


def account_recovered(new_email: str) -> tuple[str, str]:
    subject = _("Akun JaminanKu Anda dipulihkan dengan email baru")
    body = "\n\n".join(
        [
            _(
                "Akun JaminanKu Anda dipulihkan lewat nomor HP terdaftar. Email akun sekarang %(email)s dan "
                "semua sesi lama sudah diakhiri."
            )
            % {"email": mask_email(new_email)},
            _not_you(),
        ]
    )
    return subject, body


def _due(due_on: date) -> str:
    return date_format(due_on, "d/m/Y")


def reset_received(tracking_number: str, due_on: date, status_url: str) -> tuple[str, str]:
    subject = _("Permintaan reset akun %(number)s diterima") % {"number": tracking_number}
    body = "\n\n".join(
        [
            _("Permintaan reset akun lama Anda sudah kami terima dengan nomor pelacakan %(number)s.")
            % {"number": tracking_number},
            _("Kami selesaikan paling lambat %(due)s (5 hari kerja).") % {"due": _due(due_on)},
            _("Lihat statusnya: %(url)s") % {"url": status_url},
        ]
    )
    return subject, body


def reset_received_sms(tracking_number: str, due_on: date) -> str:
    return _("JaminanKu: permintaan reset akun %(number)s diterima, selesai paling lambat %(due)s.") % {
        "number": tracking_number,
        "due": _due(due_on),
    }


def reset_requested_warning() -> tuple[str, str]:
    """To the old account's email: someone asked the agency to reset this account."""
    subject = _("Ada permintaan reset akun JaminanKu Anda")
    body = "\n\n".join(
        [
            _(
                "Ada permintaan kepada BPJS Ketenagakerjaan untuk mereset akun JaminanKu yang memakai email ini. "
                "Jika disetujui, akun ini ditutup."
            ),
            _("Jika bukan Anda yang memintanya, segera masuk ke akun Anda atau hubungi call center %(number)s.")
            % {"number": CALL_CENTRE},
        ]
    )
    return subject, body


def reset_approved(tracking_number: str, signup_url: str) -> tuple[str, str]:
    subject = _("Reset akun %(number)s selesai") % {"number": tracking_number}
    body = "\n\n".join(
        [
            _("Akun lama Anda sudah direset (permintaan %(number)s).") % {"number": tracking_number},
            _("Silakan daftar lagi: %(url)s") % {"url": signup_url},
        ]
    )
    return subject, body


def reset_approved_sms(tracking_number: str) -> str:
    return _("JaminanKu: akun lama Anda sudah direset (%(number)s). Silakan daftar lagi.") % {"number": tracking_number}


def reset_rejected(tracking_number: str, reason: str) -> tuple[str, str]:
    subject = _("Permintaan reset akun %(number)s ditolak") % {"number": tracking_number}
    body = "\n\n".join(
        [
            _("Permintaan reset akun %(number)s tidak dapat kami setujui.") % {"number": tracking_number},
            _("Alasan: %(reason)s") % {"reason": reason},
            _("Untuk bantuan, hubungi call center %(number)s atau kantor cabang terdekat.") % {"number": CALL_CENTRE},
        ]
    )
    return subject, body


def reset_rejected_sms(tracking_number: str) -> str:
    return _("JaminanKu: permintaan reset akun %(number)s ditolak. Alasannya kami kirim lewat email.") % {
        "number": tracking_number
    }
