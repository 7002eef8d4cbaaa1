"""Everything the system holds about one member, as JSON-ready data: the member's right of access under
UU 27/2022 (Pelindungan Data Pribadi). The web download (/akun/data-saya.json) and the API (/api/v1/me/data)
both call `personal_data_of`.

Left out on purpose: secrets that would only help someone who got hold of the session (password and token
hashes, one-time codes, message bodies carrying codes, sign-up flow ids, the authenticator app's secret — only
whether one is on), the login challenges (short-lived, deleted daily), the personal data of staff (who acted
is given as "staf", "peserta" or "sistem", not by name or address) and sign-up attempts by others that matched
this person (they hold the other party's email and phone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaminanku.accounts.models import (
    AccountResetRequest,
    ApiToken,
    MemberProfile,
    SignupFlow,
    TrustedDevice,
    WebSession,
)
from jaminanku.audit.models import AuditEvent
from jaminanku.audit.services import record_event
from jaminanku.bookings.models import Booking
from jaminanku.claims.models import JhtClaim
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.notify.models import OutboundMessage
from jaminanku.registry.models import Employment, Membership, Person

FORMAT_VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _rows(queryset: QuerySet[Any], **fields: str) -> list[dict[str, Any]]:
    """`name=lookup` pairs → a list of dicts keyed by name, one per row, in the queryset's order."""
    return [{name: _value(row[lookup]) for name, lookup in fields.items()} for row in queryset.values(*fields.values())]


def _audit_events(objects: Iterable[tuple[str, Iterable[int]]], user: User | None) -> list[dict[str, Any]]:
    about = Q(pk__in=[])
    for label, pks in objects:
        ids = [str(pk) for pk in pks]
        if ids:
            about |= Q(object_type=label, object_id__in=ids)
    events = []
    for event in (
        AuditEvent.objects.filter(about)
        .order_by("at", "id")
        .values("at", "action", "object_type", "object_repr", "actor_id", "actor__is_staff", "before", "after")
    ):
        if event["actor_id"] is None:
            actor = "sistem"
        elif user is not None and event["actor_id"] == user.pk:
            actor = "peserta"
        else:
            actor = "staf" if event["actor__is_staff"] else "sistem"
        events.append(
            {
                "at": _value(event["at"]),
                "action": event["action"],
                "object_type": event["object_type"],
                "object": event["object_repr"],
                "actor": actor,
                "before": event["before"],
                "after": event["after"],
            }
        )
    return events


def personal_data_of(person: Person) -> dict[str, Any]:
    """All data about `person`, grouped by kind; never anything of another person."""
    memberships = Membership.objects.filter(person=person).order_by("registered_on", "pk")
    membership_ids = list(memberships.values_list("pk", flat=True))
    profile = MemberProfile.objects.select_related("user").filter(person=person).first()
    user = profile.user if profile is not None else None
    resets = AccountResetRequest.objects.filter(person=person).select_related("office").order_by("received_at")
    # only the member's own sign-up: a flow that merely matched this person may hold someone else's email/phone
    flows = SignupFlow.objects.filter(person=person, user=user) if user is not None else SignupFlow.objects.none()
    flows = flows.order_by("created_at")
    employments = Employment.objects.filter(membership__person=person).order_by("start", "pk")
    bookings = Booking.objects.filter(person=person).order_by("created_at", "pk")
    claims = JhtClaim.objects.filter(person=person).order_by("paid_on", "pk")

    # the addresses that are the member's: messages to them, whichever flow wrote them
    addresses = {profile.email, profile.phone} if profile is not None else set()
    for email, phone in list(resets.values_list("contact_email", "contact_phone")) + list(
        flows.values_list("email", "phone")
    ):
        addresses |= {email, phone}
    addresses.discard("")

    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "person": _rows(
            Person.objects.filter(pk=person.pk),
            nik="nik",
            full_name="full_name",
            date_of_birth="date_of_birth",
            sex="sex",
            place_of_birth="place_of_birth",
            mother_maiden_name="mother_maiden_name",
            district_code="district__code",
            district="district__name",
            address="address",
            created_at="created_at",
        )[0],
        "memberships": _rows(
            memberships,
            kpj="kpj",
            segment="segment",
            registered_on="registered_on",
            jht_opted="jht_opted",
            created_at="created_at",
        ),
        "employments": _rows(
            employments,
            kpj="membership__kpj",
            npp="employer__npp",
            employer="employer__name",
            start="start",
            end="end",
            end_reason="end_reason",
        ),
        "contributions": _rows(
            Contribution.objects.filter(membership_id__in=membership_ids).order_by("period", "pk"),
            kpj="membership__kpj",
            npp="employer__npp",
            period="period",
            wage="wage",
            jht_employer="jht_employer",
            jht_worker="jht_worker",
            jkk="jkk",
            jkm="jkm",
            jp_employer="jp_employer",
            jp_worker="jp_worker",
            jkp_government="jkp_government",
            posted_at="posted_at",
            reversed_at="reversed_at",
        ),
        "jht_accounts": _rows(
            Account.objects.filter(membership_id__in=membership_ids).order_by("pk"),
            kpj="membership__kpj",
            balance="balance",
            employer_total="employer_total",
            worker_total="worker_total",
            development_total="development_total",
            claims_total="claims_total",
            last_paid_period="last_paid_period",
        ),
        "jht_entries": _rows(
            JhtEntry.objects.filter(account__membership_id__in=membership_ids).order_by("value_date", "pk"),
            kpj="account__membership__kpj",
            kind="kind",
            value_date="value_date",
            year="year",
            employer_amount="employer_amount",
            worker_amount="worker_amount",
            development_amount="development_amount",
            claim_amount="claim_amount",
            amount="amount",
            note="note",
        ),
        "claims": _rows(claims, kpj="membership__kpj", kind="kind", gross="gross", tax="tax", paid_on="paid_on"),
        "bookings": _rows(
            bookings,
            code="code",
            service="service",
            office="slot__office__name",
            day="slot__day",
            hour="slot__hour",
            status="status",
            created_at="created_at",
        ),
        "account": None
        if profile is None or user is None
        else {
            "email": profile.email,
            "phone": profile.phone,
            "created_at": _value(profile.created_at),
            "username": user.get_username(),
            "last_login": _value(user.last_login),
            "api_tokens": _rows(
                ApiToken.objects.filter(user=user).order_by("created_at"),
                label="label",
                device="device",
                place="place",
                created_at="created_at",
                last_used_at="last_used_at",
                expires_at="expires_at",
            ),
            "web_sessions": _rows(
                WebSession.objects.filter(user=user).order_by("started_at"),
                device="device",
                place="place",
                started_at="started_at",
                last_seen_at="last_seen_at",
            ),
            "trusted_devices": _rows(
                TrustedDevice.objects.filter(user=user).order_by("created_at"),
                device="device",
                place="place",
                created_at="created_at",
                last_used_at="last_used_at",
                expires_at="expires_at",
            ),
            "authenticator_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
        "signup_flows": _rows(
            flows,
            step="step",
            email="email",
            phone="phone",
            full_name="full_name",
            date_of_birth="date_of_birth",
            nik="nik",
            kpj="kpj",
            created_at="created_at",
            last_activity_at="last_activity_at",
        ),
        "reset_requests": _rows(
            resets,
            tracking_number="tracking_number",
            status="status",
            contact_email="contact_email",
            contact_phone="contact_phone",
            office="office__name",
            received_at="received_at",
            due_on="due_on",
            decided_at="decided_at",
            reject_reason="reject_reason",
        ),
        "outbound_messages": _rows(
            OutboundMessage.objects.filter(to__in=addresses).order_by("created_at", "pk"),
            channel="channel",
            to="to",
            subject="subject",
            status="status",
            created_at="created_at",
            sent_at="sent_at",
        ),
        "audit_events": _audit_events(
            [
                (Person._meta.label, [person.pk]),
                (Membership._meta.label, membership_ids),
                (Employment._meta.label, employments.values_list("pk", flat=True)),
                (MemberProfile._meta.label, [profile.pk] if profile is not None else []),
                (User._meta.label, [user.pk] if user is not None else []),
                (AccountResetRequest._meta.label, resets.values_list("pk", flat=True)),
                (Booking._meta.label, bookings.values_list("pk", flat=True)),
                (JhtClaim._meta.label, claims.values_list("pk", flat=True)),
            ],
            user,
        ),
    }


def export_personal_data(*, person: Person) -> dict[str, Any]:
    """The member's download: recorded in the audit log (so it shows in this and later downloads), then built."""
    record_event("member.data_export", instance=person)
    return personal_data_of(person)
