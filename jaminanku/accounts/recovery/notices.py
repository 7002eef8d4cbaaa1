"""The words of the recovery emails and SMS: forgotten password, phone recovery, and account-reset requests
(received, approved, rejected), in the language active when they are written (Indonesian for staff decisions)."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jaminanku.accounts.notices import CALL_CENTRE, code_warning, not_you, sms_code
from jaminanku.core.masking import mask_email


def password_reset_code(code: str) -> tuple[str, str]:
    subject = _("Kode atur ulang kata sandi JaminanKu")
    body = "\n\n".join(
        [
            _("Kode untuk mengatur ulang kata sandi Anda: %(code)s") % {"code": code},
            code_warning(),
            _("Jika Anda tidak memintanya, abaikan email ini; kata sandi Anda tidak berubah."),
        ]
    )
    return subject, body


def recovery_sms_code(code: str) -> tuple[str, str]:
    return sms_code(code, _("pemulihan akun"))


def account_recovered(new_email: str) -> tuple[str, str]:
    subject = _("Akun JaminanKu Anda dipulihkan dengan email baru")
    body = "\n\n".join(
        [
            _(
                "Akun JaminanKu Anda dipulihkan lewat nomor HP terdaftar. Email akun sekarang %(email)s dan "
                "semua sesi lama sudah diakhiri."
            )
            % {"email": mask_email(new_email)},
            not_you(),
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
