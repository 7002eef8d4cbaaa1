"""Getting back into an account: "forgot password" by an email code, and two of the three ways out of the
sign-up's "data sudah terdaftar" screen — (a) a password-reset code to the old account's email, (b) self-service
recovery through the old account's phone. The third, (c) a request to the agency, is in `resets.py`.

In (b) the new email is the one the member verified by code in step 1 of this very sign-up.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import codes
from jaminanku.accounts.code_starts import refuse_too_many_code_starts
from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.recovery import notices as recovery_notices
from jaminanku.accounts.services import (
    check_new_password,
    email_taken,
    email_taken_error,
    normalise_email,
    revoke_api_tokens,
    set_new_password,
)
from jaminanku.accounts.signup.flow import FlowRef, advance, finish, load_flow, lock_at_step, matched_person_id
from jaminanku.audit.services import record_event
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.notify.services import queue_email

Step = SignupFlow.Step


# --- forgot password -----------------------------------------------------------------------------------------
def _member_by_email(email: str) -> User | None:
    profile = MemberProfile.objects.select_related("user").filter(email=email, user__is_active=True).first()
    return profile.user if profile is not None else None


def _send_reset_code(user: User, now: datetime) -> None:
    codes.issue_code(
        purpose=codes.Purpose.PASSWORD_RESET,
        scope=f"user:{user.pk}",
        channel="email",
        destination=getattr(user, "email", ""),
        message=recovery_notices.password_reset_code,
        now=now,
    )


def request_password_reset(*, email: str, client_ip: str | None, now: datetime | None = None) -> None:
    """Sends a reset code if `email` belongs to an account. Says nothing either way (nor when the address is
    rate-limited), so the form cannot tell who has an account. Too many code starts from `client_ip` are refused."""
    refuse_too_many_code_starts(client_ip=client_ip)
    now = now or timezone.now()
    address = normalise_email(email)
    try:
        with transaction.atomic():
            user = _member_by_email(address)
            if user is not None:
                _send_reset_code(user, now)
    except RateLimited:
        pass


def _reset_with_code(user: User, code: str, new_password: str, now: datetime) -> None:
    check_new_password(new_password, email=getattr(user, "email", ""), user=user)
    with transaction.atomic():
        check = codes.check_code(purpose=codes.Purpose.PASSWORD_RESET, scope=f"user:{user.pk}", code=code, now=now)
        if check.ok:
            set_new_password(user=user, new_password=new_password)
    if not check.ok:
        raise check.error()


def reset_password(*, email: str, code: str, new_password: str, now: datetime | None = None) -> User:
    """Sets a new password with the code sent to `email`; every other session and API token ends."""
    now = now or timezone.now()
    user = _member_by_email(normalise_email(email))
    if user is None:  # the same answer as an account that asked for no code
        raise codes.CodeCheck(codes.Outcome.MISSING).error()
    _reset_with_code(user, code, new_password, now)
    return user


# --- "data sudah terdaftar" ----------------------------------------------------------------------------------
def _old_profile(flow: SignupFlow) -> MemberProfile:
    profile = MemberProfile.objects.select_related("user").filter(person_id=matched_person_id(flow)).first()
    if profile is None:
        raise DomainError(_("Akun lama sudah tidak ada. Silakan mulai pendaftaran lagi."), code="old_account_gone")
    return profile


# (a) a password-reset code to the old account's email
@transaction.atomic
def send_password_reset_for_flow(*, flow: FlowRef, client_ip: str | None, now: datetime | None = None) -> SignupFlow:
    refuse_too_many_code_starts(client_ip=client_ip)
    now = now or timezone.now()
    found = lock_at_step(flow, Step.REGISTERED, now)
    profile = _old_profile(found)
    _send_reset_code(profile.user, now)
    return advance(found, Step.REGISTERED, now)


def reset_password_for_flow(*, flow: FlowRef, code: str, new_password: str, now: datetime | None = None) -> User:
    """Sets the old account's password with the code from (a); the member then logs in with the old email."""
    now = now or timezone.now()
    found = load_flow(flow, now=now)
    if found.step != Step.REGISTERED:
        raise DomainError(_("Langkah ini sudah tidak berlaku."), code="wrong_step", step=found.step)
    user = _old_profile(found).user
    _reset_with_code(user, code, new_password, now)
    with transaction.atomic():
        finish(lock_at_step(found, Step.REGISTERED, now), Step.DONE, now)
    return user


# (b) self-service recovery through the old account's phone
def _send_recovery_code(flow: SignupFlow, now: datetime) -> None:
    codes.issue_code(
        purpose=codes.Purpose.RECOVERY_PHONE,
        scope=flow.pk,
        channel="sms",
        destination=_old_profile(flow).phone,
        message=recovery_notices.recovery_sms_code,
        now=now,
    )


@transaction.atomic
def start_phone_recovery(*, flow: FlowRef, client_ip: str | None, now: datetime | None = None) -> SignupFlow:
    refuse_too_many_code_starts(client_ip=client_ip)
    now = now or timezone.now()
    found = lock_at_step(flow, Step.REGISTERED, now)
    _send_recovery_code(found, now)
    return advance(found, Step.RECOVERY_CODE, now)


@transaction.atomic
def resend_recovery_code(*, flow: FlowRef, now: datetime | None = None) -> SignupFlow:
    now = now or timezone.now()
    found = lock_at_step(flow, Step.RECOVERY_CODE, now)
    _send_recovery_code(found, now)
    return advance(found, Step.RECOVERY_CODE, now)


def verify_recovery_code(*, flow: FlowRef, code: str, now: datetime | None = None) -> SignupFlow:
    now = now or timezone.now()
    with transaction.atomic():
        found = lock_at_step(flow, Step.RECOVERY_CODE, now)
        check = codes.check_code(purpose=codes.Purpose.RECOVERY_PHONE, scope=found.pk, code=code, now=now)
        if check.ok:
            advance(found, Step.RECOVERY_PASSWORD, now)
    if not check.ok:
        raise check.error()
    return found


@transaction.atomic
def finish_recovery(*, flow: FlowRef, password: str, now: datetime | None = None) -> SignupFlow:
    """The old account takes the flow's verified email and the new password; all its old sessions and tokens
    end, and the old email is told. `flow.user` is the recovered login."""
    now = now or timezone.now()
    found = lock_at_step(flow, Step.RECOVERY_PASSWORD, now)
    profile = (
        MemberProfile.objects.select_for_update()
        .select_related("user")
        .filter(person_id=matched_person_id(found))
        .first()
    )
    if profile is None:
        raise DomainError(_("Akun lama sudah tidak ada. Silakan mulai pendaftaran lagi."), code="old_account_gone")
    user = profile.user
    new_email = found.email
    check_new_password(password, email=new_email, full_name=found.full_name)
    if not found.email_verified or email_taken(new_email, except_user=user):
        raise email_taken_error()
    old_email = profile.email
    try:
        with transaction.atomic():
            profile.email = new_email
            profile.save(update_fields=["email"])
            user.username = user.email = new_email
            user.set_password(password)  # a new password hash ends every old session
            user.save()
    except IntegrityError:
        raise email_taken_error() from None
    revoke_api_tokens(user)
    queue_email(
        to=old_email, **dict(zip(("subject", "body"), recovery_notices.account_recovered(new_email), strict=True))
    )
    record_event(
        "accounts.recovered_by_phone", instance=profile, before={"email": old_email}, after={"email": new_email}
    )
    found.user = user
    return finish(found, Step.DONE, now, "user")
