"""A logging filter that masks personal data — 16-digit NIKs, Indonesian mobile numbers (+62…/62…/08…) and email
addresses — in every record a handler writes (UU 27/2022 data minimisation). Attached to the root handlers in
settings.LOGGING, so whatever a module or library logs reaches the log masked."""

from __future__ import annotations

import logging
import re

from jaminanku.core.masking import mask_email, mask_nik, mask_phone

NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# +62 812-3456-7890, 6281234567890, 0812 3456 7890: a mobile prefix 8, then 8 to 12 more digits in groups
PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[ -]?8\d{1,3}(?:[ -]?\d{2,5}){2,4}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if not 10 <= len(digits) <= 15:
        return match.group()
    e164 = "+62" + digits[1:] if digits.startswith("0") else "+" + digits
    return mask_phone(e164)


def mask_personal_data(text: str) -> str:
    text = NIK.sub(lambda m: mask_nik(m.group()), text)
    text = EMAIL.sub(lambda m: mask_email(m.group()), text)
    return PHONE.sub(_phone, text)


class MaskPersonalData(logging.Filter):
    """Renders the message once, masked, in place of its format and arguments; tracebacks too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is logging's to report, not ours
            return True
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
