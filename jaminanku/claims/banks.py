"""The Indonesian banks a claim can be paid to: the Bank Indonesia bank code (sandi bank, 3 digits) that the
agency's bulk-transfer file uses, and the channel code of the payout API (Xendit's /v2/payouts `channel_code`).
A fixed list in code: it changes when banks merge, rarely, and each change needs both codes checked."""

from __future__ import annotations

import re
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from jaminanku.core.errors import DomainError


class Bank(NamedTuple):
    code: str  # BI sandi bank
    name: str
    xendit_code: str


BANKS: list[Bank] = [
    Bank("002", "Bank Rakyat Indonesia (BRI)", "ID_BRI"),
    Bank("008", "Bank Mandiri", "ID_MANDIRI"),
    Bank("009", "Bank Negara Indonesia (BNI)", "ID_BNI"),
    Bank("011", "Bank Danamon", "ID_DANAMON"),
    Bank("013", "Bank Permata", "ID_PERMATA"),
    Bank("014", "Bank Central Asia (BCA)", "ID_BCA"),
    Bank("016", "Maybank Indonesia", "ID_MAYBANK"),
    Bank("019", "Bank Panin", "ID_PANIN"),
    Bank("022", "CIMB Niaga", "ID_CIMB"),
    Bank("023", "Bank UOB Indonesia", "ID_UOB"),
    Bank("028", "Bank OCBC NISP", "ID_OCBC"),
    Bank("110", "Bank BJB", "ID_BJB"),
    Bank("111", "Bank DKI", "ID_DKI"),
    Bank("113", "Bank Jateng", "ID_JAWA_TENGAH"),
    Bank("114", "Bank Jatim", "ID_JATIM"),
    Bank("129", "Bank BPD Bali", "ID_BALI"),
    Bank("147", "Bank Muamalat", "ID_MUAMALAT"),
    Bank("153", "Bank Sinarmas", "ID_SINARMAS"),
    Bank("200", "Bank Tabungan Negara (BTN)", "ID_BTN"),
    Bank("213", "Bank SMBC Indonesia (dahulu BTPN)", "ID_BTPN"),
    Bank("426", "Bank Mega", "ID_MEGA"),
    Bank("451", "Bank Syariah Indonesia (BSI)", "ID_BSI"),
    Bank("490", "Bank Neo Commerce", "ID_YUDHA_BHAKTI"),
    Bank("501", "Bank Digital BCA (blu)", "ID_BCA_DIGITAL"),
    Bank("535", "SeaBank Indonesia", "ID_SEABANK"),
    Bank("536", "BCA Syariah", "ID_BCA_SYR"),
    Bank("542", "Bank Jago", "ID_JAGO"),
]

_BY_CODE = {bank.code: bank for bank in BANKS}
ACCOUNT_NUMBER = re.compile(r"[0-9]{5,20}")


def is_known_bank(code: str) -> bool:
    return code in _BY_CODE


def bank_name(code: str) -> str:
    bank = _BY_CODE.get(code)
    return bank.name if bank else code


def xendit_code(code: str) -> str:
    return _BY_CODE[code].xendit_code


def bank_choices() -> list[tuple[str, str]]:
    """For a form's select: sorted by name, the code shown, as members find their bank by name."""
    return [(b.code, f"{b.name} ({b.code})") for b in sorted(BANKS, key=lambda b: b.name)]


def clean_account_number(text: str) -> str:
    """Digits only, 5 to 20 of them; spaces, dots and dashes people type between groups are dropped."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    if not ACCOUNT_NUMBER.fullmatch(digits):
        raise DomainError(
            _("Nomor rekening harus berupa 5 sampai 20 angka."), code="account_number", field="account_number"
        )
    return digits


def check_bank(code: str) -> str:
    code = (code or "").strip()
    if not is_known_bank(code):
        raise DomainError(_("Pilih bank dari daftar."), code="unknown_bank", field="bank_code")
    return code
