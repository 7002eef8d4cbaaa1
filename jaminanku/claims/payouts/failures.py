"""Why a payment failed, in words the member understands: the bank's result file and the payout API give codes
or bank jargon, the member reads "rekening ditutup" or "nomor rekening salah" on the tracking page and in the
notice."""

from __future__ import annotations

from django.utils.translation import gettext as _


def member_words(reason: str) -> str:
    """The failure `reason` (a code or the bank's text) as the member will read it."""
    key = reason.strip().upper().replace(" ", "_").replace("-", "_")
    words = {
        "CLOSED": _("rekening ditutup"),
        "ACCOUNT_CLOSED": _("rekening ditutup"),
        "REKENING_DITUTUP": _("rekening ditutup"),
        "DITUTUP": _("rekening ditutup"),
        "INVALID_ACCOUNT": _("nomor rekening salah"),
        "INVALID_DESTINATION": _("nomor rekening salah"),
        "NOMOR_REKENING_SALAH": _("nomor rekening salah"),
        "REKENING_TIDAK_DITEMUKAN": _("nomor rekening salah"),
        "NAME_MISMATCH": _("nama pemilik rekening tidak sesuai"),
        "NAMA_TIDAK_SESUAI": _("nama pemilik rekening tidak sesuai"),
        "REJECTED_BY_CHANNEL": _("transfer ditolak bank penerima"),
        "DORMANT": _("rekening tidak aktif"),
        "REKENING_TIDAK_AKTIF": _("rekening tidak aktif"),
    }
    if key in words:
        return words[key]
    return reason.strip()[:200] or _("transfer ditolak bank penerima")
