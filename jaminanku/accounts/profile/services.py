"""The member's own changes of email and phone, from the account page and the API: a code to the new address, and
the change once the code comes back (the old email is told). Written once for both: a ContactChange says what they
differ in. Asking for the current password first and the per-address limit on code starts are part of it, so no
page or endpoint can forget them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import codes
from jaminanku.accounts.code_starts import refuse_too_many_code_starts
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.profile import notices as profile_notices
from jaminanku.accounts.services import (
    check_current_password,
    email_taken,
    email_taken_error,
    normalise_email,
    normalise_phone,
    phone_taken,
    phone_taken_error,
)
from jaminanku.audit.services import record_event
from jaminanku.core.errors import DomainError
from jaminanku.notify.services import queue_email


def _profile(user: User) -> MemberProfile:
    profile = MemberProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise DomainError(_("Akun ini bukan akun peserta."), code="not_a_member")
    return profile


def _scope(user: User) -> str:
    return f"user:{user.pk}"


@dataclass(frozen=True)
class ContactChange:
    """What a change of the account's email differs in from a change of its phone; the steps are the same."""

    field: str  # the MemberProfile field, and the form or API field that errors name
    purpose: codes.Purpose
    channel: str  # how the code travels to the new address
    normalise: Callable[[str], str]
    taken: Callable[..., bool]
    taken_error: Callable[[], DomainError]
    unchanged: Callable[[], DomainError]
    code_message: Callable[[str], tuple[str, str]]
    changed_notice: Callable[[str], tuple[str, str]]
    also_on_user: tuple[str, ...] = ()  # User fields that hold the same value (the email is the login name)


EMAIL_CHANGE = ContactChange(
    field="email",
    purpose=codes.Purpose.CHANGE_EMAIL,
    channel="email",
    normalise=normalise_email,
    taken=email_taken,
    taken_error=email_taken_error,
    unchanged=lambda: DomainError(_("Ini sudah email akun Anda."), code="email_unchanged", field="email"),
    code_message=profile_notices.change_email_code,
    changed_notice=profile_notices.email_changed,
    also_on_user=("username", "email"),
)
PHONE_CHANGE = ContactChange(
    field="phone",
    purpose=codes.Purpose.CHANGE_PHONE,
    channel="sms",
    normalise=normalise_phone,
    taken=phone_taken,
    taken_error=phone_taken_error,
    unchanged=lambda: DomainError(_("Ini sudah nomor HP akun Anda."), code="phone_unchanged", field="phone"),
    code_message=profile_notices.change_phone_sms_code,
    changed_notice=profile_notices.phone_changed,
)


def request_change(
    change: ContactChange,
    *,
    user: User,
    new_value: str,
    current_password: str,
    client_ip: str | None,
    now: datetime | None = None,
) -> str:
    """Sends a code to the new email or phone; the change happens when the code comes back. Returns the new value
    as stored."""
    refuse_too_many_code_starts(client_ip=client_ip)
    check_current_password(user=user, password=current_password)  # outside the transaction: a failure must count
    return _send_change_code(change, user=user, new_value=new_value, now=now or timezone.now())


@transaction.atomic
def _send_change_code(change: ContactChange, *, user: User, new_value: str, now: datetime) -> str:
    profile = _profile(user)
    value = change.normalise(new_value)
    if value == getattr(profile, change.field):
        raise change.unchanged()
    if change.taken(value, except_user=user):
        raise change.taken_error()
    codes.issue_code(
        purpose=change.purpose,
        scope=_scope(user),
        channel=change.channel,
        destination=value,
        message=change.code_message,
        now=now,
    )
    return value


def confirm_change(change: ContactChange, *, user: User, code: str, now: datetime | None = None) -> MemberProfile:
    """Stores the new email or phone once its code comes back, and tells the email the account had until now."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = _profile(user)
        check = codes.check_code(purpose=change.purpose, scope=_scope(user), code=code, now=now)
        if check.ok:
            assert check.code is not None
            old_value, new_value, notify_to = getattr(profile, change.field), check.code.destination, profile.email
            try:
                with transaction.atomic():
                    MemberProfile.objects.filter(pk=profile.pk).update(**{change.field: new_value})
                    if change.also_on_user:
                        User.objects.filter(pk=user.pk).update(**dict.fromkeys(change.also_on_user, new_value))
            except IntegrityError:
                raise change.taken_error() from None
            setattr(profile, change.field, new_value)
            subject, body = change.changed_notice(new_value)
            queue_email(to=notify_to, subject=subject, body=body)
            record_event(
                f"accounts.{change.field}_changed",
                instance=profile,
                before={change.field: old_value},
                after={change.field: new_value},
            )
    if not check.ok:
        raise check.error()
    return profile
