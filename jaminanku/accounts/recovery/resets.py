"""Way (c) out of "data sudah terdaftar": a request to the agency to reset the old account, when the member can
reach neither its email nor its phone. Due 5 working days after the working day it arrives (RULES.md); it goes
to the branch serving the person (their address, else their NIK's regency), whose officers (or a supervisor)
approve it (the old account is closed, the member signs up again) or reject it with a reason. Every step tells
the member and is audited."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts import notices
from jaminanku.accounts.models import AccountResetRequest, MemberProfile, SignupFlow
from jaminanku.accounts.recovery import notices as recovery_notices
from jaminanku.accounts.services import close_account, normalise_email, normalise_phone
from jaminanku.accounts.signup.flow import FlowRef, finish, lock_at_step, matched_person_id
from jaminanku.audit.services import record_event, snapshot
from jaminanku.core.errors import DomainError
from jaminanku.core.workdays import add_working_days
from jaminanku.notify.services import queue_email, queue_sms
from jaminanku.offices.selectors import serving_office
from jaminanku.registry.models import Person

Step = SignupFlow.Step
Status = AccountResetRequest.Status
RESPONSE_WORKING_DAYS = 5
# no 0/O, 1/I/L: tracking numbers are read out over the phone
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_tracking_number() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"RA-{chars[:5]}-{chars[5:]}"


def normalise_tracking_number(raw: str) -> str:
    compact = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if compact.startswith("RA"):
        compact = compact[2:]
    return f"RA-{compact[:5]}-{compact[5:10]}" if len(compact) == 10 else ""


def status_url(request: AccountResetRequest) -> str:
    return notices.absolute_url(reverse("accounts:reset_status") + f"?nomor={request.tracking_number}")


def _tell(request: AccountResetRequest, email: tuple[str, str], sms: str) -> None:
    queue_email(to=request.contact_email, subject=email[0], body=email[1])
    queue_sms(to=request.contact_phone, body=sms)


@transaction.atomic
def request_account_reset(
    *, flow: FlowRef, contact_email: str, contact_phone: str, now: datetime | None = None
) -> AccountResetRequest:
    """Files the request for the flow's person (or returns the one already open for them)."""
    now = now or timezone.now()
    found = lock_at_step(flow, Step.REGISTERED, now)
    email, phone = normalise_email(contact_email), normalise_phone(contact_phone)
    open_request = AccountResetRequest.objects.filter(
        person_id=matched_person_id(found), status=Status.RECEIVED
    ).first()
    if open_request is not None:
        request = open_request
    else:
        profile = MemberProfile.objects.select_related("user").filter(person_id=matched_person_id(found)).first()
        person = Person.objects.select_related("district").get(pk=matched_person_id(found))
        received_on = timezone.localdate(now)
        try:
            with transaction.atomic():
                request = AccountResetRequest.objects.create(
                    tracking_number=_new_tracking_number(),
                    person_id=matched_person_id(found),
                    old_user=profile.user if profile else None,
                    contact_email=email,
                    contact_phone=phone,
                    received_at=now,
                    due_on=add_working_days(received_on, RESPONSE_WORKING_DAYS),
                    office=serving_office(person),
                )
        except IntegrityError:  # the same person filed one a moment ago
            request = AccountResetRequest.objects.get(person_id=matched_person_id(found), status=Status.RECEIVED)
        else:
            _tell(
                request,
                recovery_notices.reset_received(request.tracking_number, request.due_on, status_url(request)),
                recovery_notices.reset_received_sms(request.tracking_number, request.due_on),
            )
            if profile is not None:
                subject, body = recovery_notices.reset_requested_warning()
                queue_email(to=profile.email, subject=subject, body=body)
            record_event("accounts.reset_requested", instance=request, before={}, after=snapshot(request))
    found.reset_request = request
    finish(found, Step.RESET_REQUESTED, now, "reset_request")
    return request


def _lock_open(request: AccountResetRequest) -> AccountResetRequest:
    locked = AccountResetRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != Status.RECEIVED:
        raise DomainError(_("Permintaan ini sudah diputuskan."), code="reset_already_decided")
    return locked


@transaction.atomic
def approve_account_reset(
    *, request: AccountResetRequest, staff: User, now: datetime | None = None
) -> AccountResetRequest:
    """Closes the person's current account, so they can sign up again, and tells them."""
    now = now or timezone.now()
    locked = _lock_open(request)
    before = snapshot(locked)
    profile = MemberProfile.objects.select_related("user").filter(person_id=locked.person_id).first()
    if profile is not None:
        close_account(user=profile.user)
    locked.status, locked.decided_at, locked.decided_by = Status.APPROVED, now, staff
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    with translation.override("id"):  # staff may work in English; members hear from the agency in Indonesian
        signup_url = notices.absolute_url(reverse("accounts:signup"))
        _tell(
            locked,
            recovery_notices.reset_approved(locked.tracking_number, signup_url),
            recovery_notices.reset_approved_sms(locked.tracking_number),
        )
    record_event("accounts.reset_approved", instance=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def reject_account_reset(
    *, request: AccountResetRequest, staff: User, reason: str, now: datetime | None = None
) -> AccountResetRequest:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Alasan penolakan wajib diisi."), code="reason_required", field="reason")
    locked = _lock_open(request)
    before = snapshot(locked)
    locked.status, locked.decided_at, locked.decided_by, locked.reject_reason = Status.REJECTED, now, staff, reason
    locked.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
    with translation.override("id"):
        _tell(
            locked,
            recovery_notices.reset_rejected(locked.tracking_number, reason),
            recovery_notices.reset_rejected_sms(locked.tracking_number),
        )
    record_event("accounts.reset_rejected", instance=locked, before=before, after=snapshot(locked))
    return locked
