"""The automatic decision's checks, each sending an otherwise clean online claim to review with its reason: a
recent change of phone, email or payout account (older than CLAIMS_RECENT_CHANGE_DAYS does not count), an end of
employment the employer did not report, a housing contract, no account to tell the member on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.profile.services import EMAIL_CHANGE, PHONE_CHANGE, confirm_change, request_change
from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.audit.models import AuditEvent
from jaminanku.claims import decision, online
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.payout_accounts import set_payout_account
from jaminanku.claims.tests.online_helpers import claim_files, claimant, jpeg_bytes, ready_draft, upload  # noqa: F401
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.registry.models import Employment
from jaminanku.registry.tests.factories import EmploymentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claim_files")]


def _review_codes(claim: JhtClaim) -> list[str]:
    assert claim.state == JhtClaim.State.IN_REVIEW, claim.auto_decision
    return [r["code"] for r in claim.auto_decision["reasons"]]


def test_recent_phone_change_sends_the_claim_to_review():
    who = claimant()
    request_change(
        PHONE_CHANGE, user=who.user, new_value="+6281399990000", current_password=who.password, client_ip=None
    )
    confirm_change(PHONE_CHANGE, user=who.user, code=code_sent_to("+6281399990000"))
    claim = online.submit_claim(claim=ready_draft(who), declaration=True)
    assert _review_codes(claim) == ["recent_phone_change"]
    check = next(c for c in claim.auto_decision["checks"] if c["code"] == "recent_phone_change")
    assert check == {"code": "recent_phone_change", "text": decision.reason_text("recent_phone_change"), "ok": False}


def test_recent_email_change_sends_the_claim_to_review():
    who = claimant()
    new = "baru@example.com"
    request_change(EMAIL_CHANGE, user=who.user, new_value=new, current_password=who.password, client_ip=None)
    confirm_change(EMAIL_CHANGE, user=who.user, code=code_sent_to(new))
    assert _review_codes(online.submit_claim(claim=ready_draft(who), declaration=True)) == ["recent_email_change"]


def test_a_change_older_than_the_window_does_not_count(settings):
    settings.CLAIMS_RECENT_CHANGE_DAYS = 30
    who = claimant()
    request_change(
        PHONE_CHANGE, user=who.user, new_value="+6281399990001", current_password=who.password, client_ip=None
    )
    confirm_change(PHONE_CHANGE, user=who.user, code=code_sent_to("+6281399990001"))
    AuditEvent.objects.filter(action="accounts.phone_changed").update(at=timezone.now() - timedelta(days=31))
    assert online.submit_claim(claim=ready_draft(who), declaration=True).state == JhtClaim.State.APPROVED


def test_changed_payout_account_sends_the_claim_to_review_but_a_first_one_does_not():
    who = claimant()
    claim = ready_draft(who)  # sets the account for the first time
    set_payout_account(
        person=who.person, bank_code="009", account_number="998877665544", account_holder=who.person.full_name
    )
    assert _review_codes(online.submit_claim(claim=claim, declaration=True)) == ["recent_account_change"]


def test_end_of_employment_not_reported_by_the_employer():
    who = claimant()
    claim = ready_draft(who)
    claim.holder_name_score = 100
    Employment.objects.filter(membership=who.membership).update(end=None, end_reason="")
    outcome = decision.decide(claim)
    assert not outcome.approved and ("end_not_reported", False) in outcome.checks


def test_member_without_an_account_is_not_approved_by_the_system():
    who = claimant()
    claim = ready_draft(who)
    claim.holder_name_score = 100
    MemberProfile.objects.filter(person=who.person).delete()
    assert ("contacts_unverified", False) in decision.decide(claim).checks


def test_housing_claim_is_read_by_an_officer():
    membership = pu_member(registered_on=date(2014, 1, 1))
    firm = employer()
    EmploymentFactory(membership=membership, employer=firm, start=membership.registered_on)
    today = timezone.localdate()
    import_month(period=month(today.year, today.month), lines=[line(membership, 5_000_000, npp=firm.npp)])
    claim = online.start_claim(person=membership.person, membership=membership, kind="partial_30")
    assert claim.ground == JhtClaim.Ground.HOUSING
    for kind in online.missing_documents(claim):
        online.add_document(claim=claim, kind=kind, upload=upload("a.jpg", jpeg_bytes()))
    person = membership.person
    set_payout_account(person=person, bank_code="451", account_number="7001234567", account_holder=person.full_name)
    claim = online.submit_claim(claim=claim, declaration=True)
    # no member account in this registry-only fixture: the contacts check fails too
    assert set(_review_codes(claim)) == {"document_needs_officer", "contacts_unverified"}
