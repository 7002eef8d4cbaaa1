"""The seed's "data sudah terdaftar": shown only when all four answers match a person who already has an account,
with the old email masked, and its three ways out — (a) log in or reset the password by a code to the old email,
(b) self-service recovery by SMS to the old phone with the new, verified email, (c) a reset request to the agency
due 5 working days later."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from jaminanku.accounts import selectors
from jaminanku.accounts.login.tokens import issue_api_token, user_for_api_token
from jaminanku.accounts.models import AccountResetRequest, ApiToken, MemberProfile, SignupFlow
from jaminanku.accounts.recovery import resets
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to, walk
from jaminanku.audit.models import AuditEvent
from jaminanku.core.errors import DomainError
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
Step = SignupFlow.Step
WIB = ZoneInfo("Asia/Jakarta")
NEW_EMAIL = "budi.baru@example.com"


def _can_log_in(email: str, password: str) -> bool:
    return authenticate(RequestFactory().post("/masuk/"), username=email, password=password) is not None


@pytest.fixture
def flow(registered):
    """Budi signs up again with a new email: the four answers match his person, who has an account."""
    return walk(registered.worker, email=NEW_EMAIL, phone="081311112222")


def test_registered_screen_shows_only_the_masked_old_email_and_phone(flow, registered):
    assert flow.step == Step.REGISTERED
    old = selectors.registered_account(flow=flow)
    assert (old.email_masked, old.phone_masked) == ("b***i@g***l.com", "+62812****7890")
    assert not OutboundMessage.objects.filter(to="+6281311112222").exists()  # it never got to the phone step


def test_way_a_the_old_login_still_works(flow, registered):
    assert _can_log_in(registered.email, registered.password)


def test_way_a_reset_the_password_by_a_code_to_the_old_email(flow, registered):
    user = registered.worker.person.member_profile.user
    old_token = issue_api_token(user=user)
    recovery.send_password_reset_for_flow(flow=flow, client_ip=None)
    code = code_sent_to(registered.email)
    with pytest.raises(DomainError) as weak:
        recovery.reset_password_for_flow(flow=flow, code=code, new_password="santoso85")
    assert weak.value.code == "password_weak"
    recovery.reset_password_for_flow(flow=flow, code=code, new_password=GOOD_PASSWORD)
    assert _can_log_in(registered.email, GOOD_PASSWORD) and not _can_log_in(registered.email, registered.password)
    assert user_for_api_token(old_token) is None
    assert SignupFlow.objects.get(pk=flow.pk).step == Step.DONE
    with pytest.raises(DomainError) as reused:
        recovery.reset_password(email=registered.email, code=code, new_password="Another-Good-2025!")
    assert reused.value.code == "code_used"


def test_way_b_recovery_by_sms_moves_the_account_to_the_new_email_and_ends_old_sessions(flow, registered, client):
    user = registered.worker.person.member_profile.user
    client.force_login(user)
    token = issue_api_token(user=user)
    flow = recovery.start_phone_recovery(flow=flow, client_ip=None)
    assert flow.step == Step.RECOVERY_CODE
    sms = OutboundMessage.objects.get(to=registered.phone)
    assert sms.channel == "sms"
    with pytest.raises(DomainError) as wrong:
        recovery.verify_recovery_code(flow=flow, code="12345a")
    assert wrong.value.code == "code_invalid"
    flow = recovery.verify_recovery_code(flow=flow, code=code_sent_to(registered.phone))
    assert flow.step == Step.RECOVERY_PASSWORD
    flow = recovery.finish_recovery(flow=flow, password=GOOD_PASSWORD)

    assert flow.step == Step.DONE and flow.user == user
    user.refresh_from_db()
    assert user.username == user.email == NEW_EMAIL == MemberProfile.objects.get(user=user).email
    assert _can_log_in(NEW_EMAIL, GOOD_PASSWORD) and not _can_log_in(registered.email, registered.password)
    assert not client.get("/").wsgi_request.user.is_authenticated  # the old session ended
    assert not ApiToken.objects.filter(user=user).exists() and user_for_api_token(token) is None
    told = OutboundMessage.objects.filter(to=registered.email).latest("id")
    assert "b***u@e***e.com" in told.body  # the old email is told, with the new one masked
    assert AuditEvent.objects.filter(action="accounts.recovered_by_phone", object_id=str(user.member_profile.pk))


def test_way_b_can_be_abandoned_by_going_back(flow):
    flow = recovery.start_phone_recovery(flow=flow, client_ip=None)
    assert signup.go_back(flow=flow).step == Step.REGISTERED


def test_way_c_request_gets_a_tracking_number_due_five_working_days_later(registered):
    # Thursday 27 March 2025; 28/3 cuti bersama Nyepi, 31/3–1/4 Idul Fitri, 2–4/4 and 7/4 cuti bersama
    now = datetime(2025, 3, 27, 10, 0, tzinfo=WIB)
    flow = walk(registered.worker, email=NEW_EMAIL, now=now)
    reset = resets.request_account_reset(
        flow=flow, contact_email="Budi.Baru@example.com", contact_phone="0813 1111 2222", now=now
    )
    assert reset.due_on == date(2025, 4, 14)
    assert reset.tracking_number.startswith("RA-") and len(reset.tracking_number) == 14
    assert (reset.contact_email, reset.contact_phone, reset.status) == (NEW_EMAIL, "+6281311112222", "received")
    assert reset.old_user == registered.worker.person.member_profile.user
    assert SignupFlow.objects.get(pk=flow.pk).step == Step.RESET_REQUESTED
    mail = OutboundMessage.objects.get(to=NEW_EMAIL, subject__contains=reset.tracking_number)
    assert "14/04/2025" in mail.body
    assert reset.tracking_number in OutboundMessage.objects.get(to="+6281311112222").body
    assert OutboundMessage.objects.filter(to=registered.email, subject__contains="reset").exists()  # a warning
    assert AuditEvent.objects.filter(action="accounts.reset_requested", object_id=str(reset.pk)).exists()
    lookup = reset.tracking_number.lower().replace("-", " ")
    assert selectors.reset_request_by_tracking_number(lookup) == reset


def test_request_on_a_non_working_day_counts_from_the_next_working_day(registered):
    now = datetime(2025, 3, 29, 9, 0, tzinfo=WIB)  # Saturday, Nyepi
    flow = walk(registered.worker, email=NEW_EMAIL, now=now)
    reset = resets.request_account_reset(flow=flow, contact_email=NEW_EMAIL, contact_phone="081311112222", now=now)
    assert reset.due_on == date(2025, 4, 15)  # first working day 8/4, then five more


def test_a_second_request_for_the_same_person_returns_the_open_one(registered):
    first = resets.request_account_reset(
        flow=walk(registered.worker, email=NEW_EMAIL), contact_email=NEW_EMAIL, contact_phone="081311112222"
    )
    again = resets.request_account_reset(
        flow=walk(registered.worker, email="budi.lagi@example.com"),
        contact_email="budi.lagi@example.com",
        contact_phone="081311113333",
    )
    assert again == first and AccountResetRequest.objects.count() == 1


def test_unknown_tracking_number_is_not_found(db):
    for raw in ["RA-AAAAA-AAAAA", "", "xyz", "RA-" + "A" * 40]:
        with pytest.raises(DomainError) as exc:
            selectors.reset_request_by_tracking_number(raw)
        assert exc.value.code == "reset_request_not_found"


def test_approval_closes_the_old_account_tells_the_member_and_lets_them_sign_up_again(registered, staff_user):
    reset = resets.request_account_reset(
        flow=walk(registered.worker, email=NEW_EMAIL), contact_email=NEW_EMAIL, contact_phone="081311112222"
    )
    old_user = registered.worker.person.member_profile.user
    resets.approve_account_reset(request=reset, staff=staff_user)

    reset.refresh_from_db()
    old_user.refresh_from_db()
    assert (reset.status, reset.decided_by) == ("approved", staff_user)
    assert not old_user.is_active and not MemberProfile.objects.filter(user=old_user).exists()
    assert not _can_log_in(registered.email, registered.password)
    assert OutboundMessage.objects.filter(to=NEW_EMAIL, subject__contains="selesai").exists()
    assert OutboundMessage.objects.filter(to="+6281311112222", body__contains="direset").exists()
    assert {"accounts.reset_approved", "accounts.account_closed"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    with pytest.raises(DomainError) as twice:
        resets.reject_account_reset(request=reset, staff=staff_user, reason="x")
    assert twice.value.code == "reset_already_decided"

    again = walk(registered.worker, email="budi.ketiga@example.com", phone="081311112222")
    assert again.step == Step.DONE and again.user.member_profile.person == registered.worker.person


def test_rejection_needs_a_reason_which_the_member_is_told(registered, staff_user):
    reset = resets.request_account_reset(
        flow=walk(registered.worker, email=NEW_EMAIL), contact_email=NEW_EMAIL, contact_phone="081311112222"
    )
    with pytest.raises(DomainError) as no_reason:
        resets.reject_account_reset(request=reset, staff=staff_user, reason="  ")
    assert no_reason.value.code == "reason_required"
    resets.reject_account_reset(request=reset, staff=staff_user, reason="Foto KTP tidak terbaca.")
    reset.refresh_from_db()
    assert reset.status == "rejected" and reset.reject_reason == "Foto KTP tidak terbaca."
    assert "Foto KTP tidak terbaca." in OutboundMessage.objects.get(to=NEW_EMAIL, subject__contains="ditolak").body
    assert OutboundMessage.objects.filter(to="+6281311112222", body__contains="ditolak").exists()
    assert AuditEvent.objects.filter(action="accounts.reset_rejected").exists()
    assert registered.worker.person.member_profile.user.is_active  # the old account stays
