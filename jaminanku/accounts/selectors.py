"""Reads for the accounts pages and API: what the "data sudah terdaftar" screen may show, and the status of an
account-reset request by its tracking number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.models import AccountResetRequest, MemberProfile, SignupFlow
from jaminanku.accounts.recovery.resets import normalise_tracking_number
from jaminanku.accounts.signup.flow import FlowRef, load_flow, matched_person_id
from jaminanku.core.errors import DomainError, NotFound
from jaminanku.core.masking import mask_email, mask_phone

Step = SignupFlow.Step


@dataclass
class RegisteredAccount:
    """What the "data sudah terdaftar" screen may show of the old account: masked, never in full."""

    email_masked: str
    phone_masked: str


def registered_account(*, flow: FlowRef, now: datetime | None = None) -> RegisteredAccount:
    found = load_flow(flow, now=now)
    if found.step not in (Step.REGISTERED, Step.RECOVERY_CODE, Step.RECOVERY_PASSWORD):
        raise DomainError(_("Langkah ini sudah tidak berlaku."), code="wrong_step", step=found.step)
    profile = MemberProfile.objects.filter(person_id=matched_person_id(found)).first()
    if profile is None:
        raise DomainError(_("Akun lama sudah tidak ada. Silakan mulai pendaftaran lagi."), code="old_account_gone")
    return RegisteredAccount(email_masked=mask_email(profile.email), phone_masked=mask_phone(profile.phone))


def reset_request_by_tracking_number(raw: str) -> AccountResetRequest:
    number = normalise_tracking_number(raw)
    found = AccountResetRequest.objects.filter(tracking_number=number).first() if number else None
    if found is None:
        raise NotFound(_("Nomor pelacakan tidak ditemukan."), code="reset_request_not_found", field="tracking_number")
    return found
