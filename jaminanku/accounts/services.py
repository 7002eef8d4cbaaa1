"""Account writes: opening an account (the last step of the sign-up, also used by the demo seeder), closing one,
the current password's check and the password's change (the changes of email and phone are in
profile/services.py). Views, the API and the admin call these.

Changes of email, phone and password ask for the current password first (a stolen session alone cannot take the
account over), and wrong current passwords are limited per account.

A changed password ends every other session by itself: Django keeps a hash of the password in each session and
drops sessions whose hash no longer matches. API tokens are revoked explicitly.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import limits, notices
from jaminanku.accounts.login import devices
from jaminanku.accounts.models import ApiToken, MemberProfile
from jaminanku.audit.services import record_event, snapshot
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.notify.services import queue_email
from jaminanku.registry.models import Person
from jaminanku.registry.validators import normalise_mobile


# --- input normalisation, shared by the sign-up, the account pages and the API ---------------------------
def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Masukkan alamat email yang valid."), code="email_invalid", field="email") from exc
    return email


def normalise_phone(raw: str) -> str:
    try:
        return normalise_mobile(raw)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone_invalid", field="phone") from exc


def check_new_password(password: str, *, email: str, full_name: str = "", user: User | None = None) -> None:
    """Django's validators (length 8, common passwords, numeric, similarity to the member's email and name)."""
    subject = user or User(username=email, email=email, first_name=full_name[:150])
    try:
        validate_password(password or "", user=subject)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password_weak", field="password", errors=exc.messages) from exc


# --- uniqueness, with friendly messages; the database constraints are the real guard -----------------------
def email_taken(email: str, *, except_user: User | None = None) -> bool:
    taken = MemberProfile.objects.filter(email=email)
    users = User.objects.filter(username=email)
    if except_user is not None:
        taken, users = taken.exclude(user=except_user), users.exclude(pk=except_user.pk)
    return taken.exists() or users.exists()


def phone_taken(phone: str, *, except_user: User | None = None) -> bool:
    taken = MemberProfile.objects.filter(phone=phone)
    if except_user is not None:
        taken = taken.exclude(user=except_user)
    return taken.exists()


def already_registered_error() -> DomainError:
    return DomainError(_("Data sudah terdaftar."), code="already_registered")


def email_taken_error() -> DomainError:
    return DomainError(
        _("Email ini sudah dipakai akun lain. Silakan masuk, atau pakai email lain."), code="email_taken", field="email"
    )


def phone_taken_error() -> DomainError:
    return DomainError(_("Nomor HP ini sudah dipakai akun lain. Pakai nomor lain."), code="phone_taken", field="phone")


def _ensure_free(*, person: Person, email: str, phone: str) -> None:
    if MemberProfile.objects.filter(person=person).exists():
        raise already_registered_error()
    if email_taken(email):
        raise email_taken_error()
    if phone_taken(phone):
        raise phone_taken_error()


# --- opening and closing -----------------------------------------------------------------------------------
def open_account(*, person: Person, email: str, phone: str, password: str) -> User:
    """Creates the login and its profile for `person`. The sign-up's last step and the demo seeder both end
    here. Two sign-ups of one person racing each other: the unique constraints let one win; the other gets
    `already_registered` (or `email_taken` / `phone_taken`)."""
    email, phone = normalise_email(email), normalise_phone(phone)
    check_new_password(password, email=email, full_name=person.full_name)
    _ensure_free(person=person, email=email, phone=phone)
    user = User(username=email, email=email, first_name=person.full_name[:150])
    user.set_password(password)  # hashed before the writes, so the row locks are held only briefly
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable after a lost race
            user.save()
            profile = MemberProfile.objects.create(user=user, person=person, email=email, phone=phone)
    except IntegrityError:
        _ensure_free(person=person, email=email, phone=phone)  # the winner has committed: say what is taken
        raise already_registered_error() from None
    record_event("accounts.account_opened", instance=profile, before={}, after=snapshot(profile))
    return user


def create_account_for_demo(*, person: Person, email: str, phone: str, password: str) -> User:
    """Gives a demo person an account through the same path as the sign-up's last step."""
    with transaction.atomic():
        return open_account(person=person, email=email, phone=phone, password=password)


def revoke_api_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


def close_account(*, user: User) -> None:
    """Closes an account (an approved account-reset request): the person, email and phone become free for a new
    sign-up; the login stays, inactive, for the audit trail."""
    profile = MemberProfile.objects.select_for_update().filter(user=user).first()
    before = snapshot(profile)
    if profile is not None:
        profile.delete()
    user.is_active = False
    user.username = f"tertutup-{user.pk}"
    user.email = ""
    user.set_unusable_password()  # also ends its sessions
    user.save()
    revoke_api_tokens(user)
    record_event("accounts.account_closed", instance=user, before=before or {}, after={"is_active": False})


# --- the member's password --------------------------------------------------------------------------------------
def check_current_password(*, user: User, password: str) -> None:
    """Re-authentication before a change of email, phone or password. Wrong passwords count per account in the
    database, checked and counted under one row lock, so a stolen session cannot be used to guess the password
    without limit, not even by sending guesses at once. Call it outside any transaction that the error rolls
    back: the failure must stay counted."""
    with transaction.atomic():
        wrong_passwords = limits.current_password_per_user().counter(str(user.pk))
        if wrong_passwords.reached:
            raise RateLimited(
                _("Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam 15 menit."),
                code="password_rate_limited",
                field="current_password",
            )
        correct = user.check_password(password or "")
        if not correct:
            wrong_passwords.count_failure()
    if not correct:
        raise DomainError(_("Kata sandi saat ini salah."), code="password_wrong", field="current_password")


def set_new_password(*, user: User, new_password: str) -> None:
    """Sets the password, ends the other sessions and API tokens, forgets trusted devices, and tells the member
    by email."""
    email = getattr(user, "email", "")
    check_new_password(new_password, email=email, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_api_tokens(user)
    devices.forget_devices(user)  # every device needs the login's second step again
    if email:
        queue_email(to=email, **_subject_body(notices.password_changed()))
    record_event("accounts.password_changed", instance=user)


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    check_current_password(user=user, password=current_password)  # outside the transaction: a failure must count
    with transaction.atomic():
        set_new_password(user=user, new_password=new_password)


def _subject_body(pair: tuple[str, str]) -> dict[str, str]:
    return {"subject": pair[0], "body": pair[1]}
