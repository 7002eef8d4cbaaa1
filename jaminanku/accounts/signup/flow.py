"""The sign-up, in the seed's order, as explicit states on the server (`SignupFlow.step`). Each step is one
function here; the web pages and the API only call them.

email → email code → segment → name → date of birth → NIK → KPJ (identity check) → phone → SMS code → password.
When the identity matches a person who already has an account the flow goes to `registered` ("data sudah
terdaftar"); its ways out are in `recovery/services.py`. A flow ends after 30 idle minutes.

Every step locks its flow row, so a double submit cannot write twice. Failed code checks and identity
mismatches raise only after their transaction committed, so the failure is counted.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import codes, limits, notices
from jaminanku.accounts.code_starts import refuse_too_many_code_starts
from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.services import (
    check_new_password,
    email_taken,
    email_taken_error,
    normalise_email,
    normalise_phone,
    open_account,
    phone_taken,
    phone_taken_error,
)
from jaminanku.accounts.signup import notices as signup_notices
from jaminanku.accounts.signup.identity import SIGNUP_SEGMENTS, find_person
from jaminanku.core.errors import DomainError, NotFound, RateLimited
from jaminanku.registry.nik import check_nik, normalise_nik
from jaminanku.registry.validators import normalise_digits

Step = SignupFlow.Step
FlowRef = SignupFlow | str

IDENTITY_MISMATCH = _("Data tidak sesuai dengan data kepesertaan")

# Where "Kembali" leads from each step. Answers stay; only what depends on the changed answer is reset.
PREVIOUS: dict[str, str] = {
    Step.EMAIL_CODE: Step.EMAIL,
    Step.SEGMENT: Step.EMAIL,
    Step.NAME: Step.SEGMENT,
    Step.BIRTH_DATE: Step.NAME,
    Step.NIK: Step.BIRTH_DATE,
    Step.KPJ: Step.NIK,
    Step.PHONE: Step.KPJ,
    Step.PHONE_CODE: Step.PHONE,
    Step.PASSWORD: Step.PHONE,
    Step.REGISTERED: Step.KPJ,
    Step.RECOVERY_CODE: Step.REGISTERED,
    Step.RECOVERY_PASSWORD: Step.REGISTERED,
}
FINISHED = {Step.DONE, Step.RESET_REQUESTED}
_FLOW_ID = re.compile(r"[A-Za-z0-9_-]{16,43}")
IDENTITY_STEPS = {Step.SEGMENT, Step.NAME, Step.BIRTH_DATE, Step.NIK, Step.KPJ}


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def load_flow(flow: FlowRef, *, now: datetime | None = None, lock: bool = False) -> SignupFlow:
    """The flow by id, if it exists and has not been idle for more than 30 minutes."""
    flow_id = flow.pk if isinstance(flow, SignupFlow) else str(flow or "")
    rows = SignupFlow.objects.select_for_update() if lock else SignupFlow.objects.all()
    # ids are token_urlsafe(32); anything else (including bytes PostgreSQL refuses) is simply not found
    found = rows.filter(pk=flow_id).first() if _FLOW_ID.fullmatch(flow_id) else None
    if found is None:
        raise NotFound(_("Pendaftaran tidak ditemukan. Silakan mulai lagi."), code="flow_not_found")
    if found.step not in FINISHED and found.expires_at() <= _now(now):
        raise DomainError(
            _("Sesi pendaftaran berakhir karena tidak ada aktivitas selama 30 menit. Silakan mulai lagi."),
            code="flow_expired",
        )
    return found


def matched_person_id(flow: SignupFlow) -> int:
    """The person the identity check matched; steps after the check need one."""
    if flow.person_id is None:
        raise DomainError(_("Langkah sebelumnya belum lengkap."), code="flow_incomplete")
    return flow.person_id


def lock_at_step(flow: FlowRef, step: str, now: datetime) -> SignupFlow:
    found = load_flow(flow, now=now, lock=True)
    if found.step != step:
        raise DomainError(
            _("Langkah ini sudah tidak berlaku. Lanjutkan dari langkah yang sedang terbuka."),
            code="wrong_step",
            step=found.step,
        )
    return found


def advance(flow: SignupFlow, step: str, now: datetime, *fields: str) -> SignupFlow:
    flow.step = step
    flow.last_activity_at = now
    flow.save(update_fields=["step", "last_activity_at", *fields])
    return flow


def finish(flow: SignupFlow, step: str, now: datetime, *fields: str) -> SignupFlow:
    """Ends the flow at `step` (done, or a reset request filed) and forgets its answers: the account or the
    request now holds what is needed, and the flow id is in the email's resume link, so whoever holds it must
    learn nothing from a finished flow (not its NIK, date of birth, KPJ, phone or email)."""
    flow.email = flow.segment = flow.full_name = flow.nik = flow.kpj = flow.phone = ""
    flow.date_of_birth = None
    flow.person = None
    answers = ("email", "segment", "full_name", "nik", "kpj", "phone", "date_of_birth", "person")
    return advance(flow, step, now, *fields, *answers)


def resume_url(flow: SignupFlow) -> str:
    return notices.absolute_url(reverse("accounts:signup_resume", args=[flow.pk]))


def _send_email_code(flow: SignupFlow, now: datetime) -> None:
    codes.issue_code(
        purpose=codes.Purpose.SIGNUP_EMAIL,
        scope=flow.pk,
        channel="email",
        destination=flow.email,
        message=lambda code: signup_notices.signup_email_code(code, resume_url(flow)),
        now=now,
    )


def _send_phone_code(flow: SignupFlow, now: datetime) -> None:
    codes.issue_code(
        purpose=codes.Purpose.SIGNUP_PHONE,
        scope=flow.pk,
        channel="sms",
        destination=flow.phone,
        message=signup_notices.signup_sms_code,
        now=now,
    )


# --- 1. email ------------------------------------------------------------------------------------------------
@transaction.atomic
def start_signup(*, email: str, client_ip: str | None, now: datetime | None = None) -> SignupFlow:
    """Step 1: a new flow for `email`, with a code on its way there. Counts a code start for `client_ip`."""
    refuse_too_many_code_starts(client_ip=client_ip)
    now = _now(now)
    address = normalise_email(email)
    flow = SignupFlow.objects.create(id=secrets.token_urlsafe(32), email=address, last_activity_at=now)
    _send_email_code(flow, now)
    return advance(flow, Step.EMAIL_CODE, now)


@transaction.atomic
def give_email(*, flow: FlowRef, email: str, client_ip: str | None, now: datetime | None = None) -> SignupFlow:
    """Step 1 again, after going back: a (possibly different) email for a flow that keeps its other answers."""
    refuse_too_many_code_starts(client_ip=client_ip)
    now = _now(now)
    found = lock_at_step(flow, Step.EMAIL, now)
    found.email, found.email_verified = normalise_email(email), False
    _send_email_code(found, now)
    return advance(found, Step.EMAIL_CODE, now, "email", "email_verified")


@transaction.atomic
def resend_email_code(*, flow: FlowRef, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.EMAIL_CODE, now)
    _send_email_code(found, now)
    return advance(found, Step.EMAIL_CODE, now)


def verify_email_code(*, flow: FlowRef, code: str, now: datetime | None = None) -> SignupFlow:
    """Step 1's VERIFIKASI. An email that already has an account is refused only now, after its owner proved
    it is theirs, so the sign-up cannot be used to find out which emails have accounts."""
    now = _now(now)
    error: DomainError | None = None
    with transaction.atomic():
        found = lock_at_step(flow, Step.EMAIL_CODE, now)
        check = codes.check_code(purpose=codes.Purpose.SIGNUP_EMAIL, scope=found.pk, code=code, now=now)
        if not check.ok:
            error = check.error()
        elif email_taken(found.email):
            error = email_taken_error()
            advance(found, Step.EMAIL, now)
        else:
            found.email_verified = True
            # answers given before going back stay filled in on the following screens
            advance(found, Step.SEGMENT, now, "email_verified")
    if error is not None:
        raise error
    return found


# --- 2–5. segment, name, date of birth, NIK ------------------------------------------------------------------
@transaction.atomic
def choose_segment(*, flow: FlowRef, segment: str, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.SEGMENT, now)
    value = (segment or "").strip().upper()
    if value not in SIGNUP_SEGMENTS:
        raise DomainError(
            _("Pilih kepesertaan: PU, BPU, atau PMI. Peserta Jasa Konstruksi didaftarkan oleh proyeknya."),
            code="segment_invalid",
            field="segment",
        )
    found.segment = value
    return advance(found, Step.NAME, now, "segment")


@transaction.atomic
def give_name(*, flow: FlowRef, full_name: str, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.NAME, now)
    name = " ".join((full_name or "").split())
    if not name or len(name) > 150 or not re.search(r"[^\W\d_]", name) or not name.isprintable():
        raise DomainError(_("Tulis nama lengkap sesuai KTP."), code="name_invalid", field="full_name")
    found.full_name = name
    return advance(found, Step.BIRTH_DATE, now, "full_name")


@transaction.atomic
def give_birth_date(*, flow: FlowRef, date_of_birth: date | None, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.BIRTH_DATE, now)
    today = timezone.localdate(now)
    if date_of_birth is None or not date(1900, 1, 1) <= date_of_birth <= today:
        raise DomainError(_("Masukkan tanggal lahir sesuai e-KTP."), code="birth_date_invalid", field="date_of_birth")
    found.date_of_birth = date_of_birth
    return advance(found, Step.NIK, now, "date_of_birth")


@transaction.atomic
def give_nik(*, flow: FlowRef, nik: str, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.NIK, now)
    result = check_nik(normalise_nik(nik))
    if not result.valid:
        raise DomainError(result.errors[0], code="nik_invalid", field="nik")
    found.nik = result.nik
    return advance(found, Step.KPJ, now, "nik")


# --- 6. KPJ and the identity check ---------------------------------------------------------------------------
def give_kpj(*, flow: FlowRef, kpj: str, client_ip: str | None = None, now: datetime | None = None) -> SignupFlow:
    """Step 6. With all four answers known, they must belong to one person holding a membership of the chosen
    segment; any mismatch gets the same message, and mismatches are limited per flow and per address."""
    now = _now(now)
    number = normalise_digits(kpj)
    if not re.fullmatch(r"\d{11}", number):
        raise DomainError(_("Nomor KPJ harus terdiri dari 11 angka."), code="kpj_invalid", field="kpj")
    with transaction.atomic():
        found = lock_at_step(flow, Step.KPJ, now)
        # counted on locked rows in this transaction, so guesses sent at once queue here: never more registry
        # checks than the limit allows
        per_flow = limits.identity_per_flow().counter(found.pk, now=now)
        per_address = limits.identity_per_address().counter(client_ip, now=now)
        if per_flow.reached or per_address.reached:
            raise RateLimited(
                _("Terlalu banyak data yang tidak sesuai. Silakan coba lagi dalam satu jam."),
                code="identity_rate_limited",
            )
        found.kpj = number
        assert found.date_of_birth is not None
        person = find_person(
            segment=found.segment,
            full_name=found.full_name,
            date_of_birth=found.date_of_birth,
            nik=found.nik,
            kpj=number,
        )
        found.person = person
        if person is None:
            per_flow.count_failure()
            per_address.count_failure()
            found.last_activity_at = now
            found.save(update_fields=["kpj", "person", "last_activity_at"])
        elif MemberProfile.objects.filter(person=person).exists():
            advance(found, Step.REGISTERED, now, "kpj", "person")
        else:
            advance(found, Step.PHONE, now, "kpj", "person")
    if person is None:  # raised after the commit, so the failure stays counted
        raise DomainError(IDENTITY_MISMATCH, code="identity_mismatch")
    return found


# --- 7. phone ------------------------------------------------------------------------------------------------
@transaction.atomic
def give_phone(*, flow: FlowRef, phone: str, client_ip: str | None, now: datetime | None = None) -> SignupFlow:
    refuse_too_many_code_starts(client_ip=client_ip)
    now = _now(now)
    found = lock_at_step(flow, Step.PHONE, now)
    found.phone, found.phone_verified = normalise_phone(phone), False
    _send_phone_code(found, now)
    return advance(found, Step.PHONE_CODE, now, "phone", "phone_verified")


@transaction.atomic
def resend_phone_code(*, flow: FlowRef, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    found = lock_at_step(flow, Step.PHONE_CODE, now)
    _send_phone_code(found, now)
    return advance(found, Step.PHONE_CODE, now)


def verify_phone_code(*, flow: FlowRef, code: str, now: datetime | None = None) -> SignupFlow:
    now = _now(now)
    error: DomainError | None = None
    with transaction.atomic():
        found = lock_at_step(flow, Step.PHONE_CODE, now)
        check = codes.check_code(purpose=codes.Purpose.SIGNUP_PHONE, scope=found.pk, code=code, now=now)
        if not check.ok:
            error = check.error()
        elif phone_taken(found.phone):  # refused only once its owner proved it is theirs, as for the email
            error = phone_taken_error()
            advance(found, Step.PHONE, now)
        else:
            found.phone_verified = True
            advance(found, Step.PASSWORD, now, "phone_verified")
    if error is not None:
        raise error
    return found


# --- 8. password: the account exists ------------------------------------------------------------------------
def set_password(*, flow: FlowRef, password: str, now: datetime | None = None) -> SignupFlow:
    """The last step: opens the account, linked to the person (and so to all of their KPJs). `flow.user` is
    the new login. Losing a race to another sign-up of the same person moves this flow to `registered`."""
    now = _now(now)
    error: DomainError | None = None
    with transaction.atomic():
        found = lock_at_step(flow, Step.PASSWORD, now)
        if not (found.email_verified and found.phone_verified and found.person_id):
            raise DomainError(_("Langkah sebelumnya belum lengkap."), code="flow_incomplete")
        assert found.person is not None
        check_new_password(password, email=found.email, full_name=found.full_name)
        try:
            found.user = open_account(person=found.person, email=found.email, phone=found.phone, password=password)
        except DomainError as exc:
            error = exc
            if exc.code == "already_registered":
                advance(found, Step.REGISTERED, now)
        else:
            finish(found, Step.DONE, now, "user")
    if error is not None:
        raise error
    return found


# --- Kembali ------------------------------------------------------------------------------------------------
@transaction.atomic
def go_back(*, flow: FlowRef, now: datetime | None = None) -> SignupFlow:
    """One step back, keeping the answers. Revisiting an identity answer undoes the identity match, and
    revisiting the email or phone undoes its verification, so each is checked again on the way forward."""
    now = _now(now)
    found = load_flow(flow, now=now, lock=True)
    previous = PREVIOUS.get(found.step)
    if previous is None:
        raise DomainError(_("Tidak bisa kembali dari langkah ini."), code="cannot_go_back")
    fields = []
    if previous == Step.EMAIL:
        found.email_verified = False
        fields.append("email_verified")
    if previous in IDENTITY_STEPS:
        found.person = None
        fields.append("person")
    if previous == Step.PHONE:
        found.phone_verified = False
        fields.append("phone_verified")
    return advance(found, previous, now, *fields)
