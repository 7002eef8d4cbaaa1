"""Every wrong input at every step of the sign-up gets a clear error with a stable code, leaves the flow where
it was, and the right input moves it on — through the same services the web pages and the API call."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to, walk
from jaminanku.core.errors import DomainError, RateLimited
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
Step = SignupFlow.Step


def _refused(call, expected: str, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call(**kwargs)
    assert exc.value.code == expected, exc.value.message
    return exc.value


def _step(flow) -> str:
    return SignupFlow.objects.get(pk=flow.pk).step


def _other(code: str) -> str:
    return "000000" if code != "000000" else "111111"


# --- 1. email ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("email", ["", "budi", "budi@", "budi@gmail", "a b@gmail.com", "x" * 250 + "@gmail.com"])
def test_bad_email_is_refused_before_anything_is_written(email):
    error = _refused(signup.start_signup, "email_invalid", email=email, client_ip=None)
    assert error.field == "email"
    assert not SignupFlow.objects.exists() and not OutboundMessage.objects.exists()


def test_email_is_normalised_and_gets_a_code():
    flow = signup.start_signup(email="  Siti.Rahayu@Example.COM ", client_ip=None)
    assert flow.email == "siti.rahayu@example.com" and flow.step == Step.EMAIL_CODE
    assert len(code_sent_to("siti.rahayu@example.com")) == 6


def test_wrong_email_code_counts_down_then_the_code_dies(worker):
    flow = walk(worker, until=Step.EMAIL_CODE)
    code = code_sent_to(flow.email)
    for left in (4, 3, 2, 1):
        error = _refused(signup.verify_email_code, "code_invalid", flow=flow, code=_other(code))
        assert error.extra["tries_left"] == left and error.field == "code"
    _refused(signup.verify_email_code, "code_dead", flow=flow, code=_other(code))
    _refused(signup.verify_email_code, "code_dead", flow=flow, code=code)  # the sixth try, right or not
    assert _step(flow) == Step.EMAIL_CODE
    signup.resend_email_code(flow=flow, now=timezone.now() + timedelta(seconds=61))
    signup.verify_email_code(flow=flow, code=code_sent_to(flow.email), now=timezone.now() + timedelta(seconds=62))
    assert _step(flow) == Step.SEGMENT


def test_expired_email_code_is_refused(worker):
    flow = walk(worker, until=Step.EMAIL_CODE)
    _refused(
        signup.verify_email_code,
        "code_expired",
        flow=flow,
        code=code_sent_to(flow.email),
        now=timezone.now() + timedelta(minutes=11),
    )


def test_resend_too_soon_and_sixth_code_in_an_hour(worker):
    now = timezone.now()
    flow = walk(worker, until=Step.EMAIL_CODE, now=now)
    error = _refused(signup.resend_email_code, "code_resend_too_soon", flow=flow, now=now + timedelta(seconds=30))
    assert isinstance(error, RateLimited) and error.status == 429 and error.extra["retry_after"] == 30
    for i in range(1, 5):
        signup.resend_email_code(flow=flow, now=now + timedelta(minutes=i))
    _refused(signup.resend_email_code, "code_hourly_limit", flow=flow, now=now + timedelta(minutes=6))
    assert OutboundMessage.objects.filter(to=flow.email).count() == 5


def test_only_the_latest_email_code_counts(worker):
    now = timezone.now()
    flow = walk(worker, until=Step.EMAIL_CODE, now=now)
    first = code_sent_to(flow.email)
    signup.resend_email_code(flow=flow, now=now + timedelta(seconds=61))
    second = code_sent_to(flow.email)
    if first != second:
        _refused(signup.verify_email_code, "code_invalid", flow=flow, code=first, now=now + timedelta(seconds=62))
    signup.verify_email_code(flow=flow, code=second, now=now + timedelta(seconds=62))


def test_email_of_an_existing_account_is_refused_only_after_its_owner_proves_it(registered):
    flow = signup.start_signup(email=registered.email, client_ip=None)  # no hint yet: anyone could type this address
    assert flow.step == Step.EMAIL_CODE
    error = _refused(signup.verify_email_code, "email_taken", flow=flow, code=code_sent_to(registered.email))
    assert error.field == "email"
    assert _step(flow) == Step.EMAIL


# --- 2. segment ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("segment", ["", "JAKON", "XYZ", "P U"])
def test_segment_must_be_pu_bpu_or_pmi(worker, segment):
    flow = walk(worker, until=Step.SEGMENT)
    _refused(signup.choose_segment, "segment_invalid", flow=flow, segment=segment)
    assert _step(flow) == Step.SEGMENT


def test_segment_is_case_insensitive(worker):
    flow = walk(worker, until=Step.SEGMENT)
    assert signup.choose_segment(flow=flow, segment="bpu").segment == "BPU"


# --- 3. name ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["", "   ", "12345", "-- .", "A" * 151])
def test_name_must_be_a_name(worker, name):
    flow = walk(worker, until=Step.NAME)
    assert _refused(signup.give_name, "name_invalid", flow=flow, full_name=name).field == "full_name"


def test_name_keeps_what_was_typed_with_spacing_tidied(worker):
    flow = walk(worker, until=Step.NAME)
    assert signup.give_name(flow=flow, full_name="  Siti   Rahayu ").full_name == "Siti Rahayu"


# --- 4. date of birth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("born", [None, date(1899, 12, 31), "tomorrow"])
def test_date_of_birth_must_be_a_real_past_date(worker, born):
    flow = walk(worker, until=Step.BIRTH_DATE)
    if born == "tomorrow":
        born = timezone.localdate() + timedelta(days=1)
    assert _refused(signup.give_birth_date, "birth_date_invalid", flow=flow, date_of_birth=born).field == (
        "date_of_birth"
    )


# --- 5. NIK -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "nik",
    [
        "",
        "123",
        "32010154039200011",
        "abcdefghijklmnop",
        "9901015403920001",
        "3201019903920001",
        "3201015403920000",
        "3201017102920001",  # a woman's 31 February: no such day
        "3201012902010001",  # 29 February 01: a leap year neither as 1901 nor as 2001
    ],
)
def test_nik_must_be_a_well_formed_nik(worker, nik):
    flow = walk(worker, until=Step.NIK)
    assert _refused(signup.give_nik, "nik_invalid", flow=flow, nik=nik).field == "nik"
    assert _step(flow) == Step.NIK


def test_nik_accepts_spaces_and_dots_between_groups(worker):
    flow = walk(worker, until=Step.NIK)
    spaced = f"{worker.person.nik[:6]} {worker.person.nik[6:12]}.{worker.person.nik[12:]}"
    assert signup.give_nik(flow=flow, nik=spaced).nik == worker.person.nik


# --- 6. KPJ -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kpj", ["", "123", "123456789012", "KPJ12345678"])
def test_kpj_must_be_eleven_digits(worker, kpj):
    flow = walk(worker, until=Step.KPJ)
    assert _refused(signup.give_kpj, "kpj_invalid", flow=flow, kpj=kpj).field == "kpj"


# --- 7. phone -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["", "abc", "0211234567", "+14155552671", "0812", "0" * 40])
def test_phone_must_be_an_indonesian_mobile_number(worker, phone):
    flow = walk(worker, until=Step.PHONE)
    assert _refused(signup.give_phone, "phone_invalid", flow=flow, phone=phone, client_ip=None).field == "phone"
    assert _step(flow) == Step.PHONE


def test_phone_is_stored_in_e164_and_gets_an_sms_code(worker):
    flow = walk(worker, until=Step.PHONE)
    flow = signup.give_phone(flow=flow, phone="0812-9876 5432", client_ip=None)
    assert flow.phone == "+6281298765432" and flow.step == Step.PHONE_CODE
    sms = OutboundMessage.objects.get(to="+6281298765432")
    assert sms.channel == "sms" and len(code_sent_to(flow.phone)) == 6


def test_wrong_and_expired_sms_codes_are_refused(worker):
    flow = walk(worker, until=Step.PHONE_CODE)
    code = code_sent_to(flow.phone)
    _refused(signup.verify_phone_code, "code_invalid", flow=flow, code=_other(code))
    _refused(signup.verify_phone_code, "code_invalid", flow=flow, code="12ab56")
    _refused(signup.verify_phone_code, "code_expired", flow=flow, code=code, now=timezone.now() + timedelta(minutes=10))
    _refused(signup.resend_phone_code, "code_resend_too_soon", flow=flow)


def test_phone_of_another_account_is_refused_after_it_is_proved(worker, registered):
    flow = walk(worker, phone=registered.phone, until=Step.PHONE_CODE)
    _refused(signup.verify_phone_code, "phone_taken", flow=flow, code=code_sent_to(registered.phone))
    assert _step(flow) == Step.PHONE


# --- 8. password and the account ----------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["", "Ab1!", "password", "iloveyou123", "12345678901", "rahayu1992"])
def test_weak_passwords_are_refused_with_djangos_reasons(worker, password):
    flow = walk(worker, until=Step.PASSWORD)
    error = _refused(signup.set_password, "password_weak", flow=flow, password=password)
    assert error.field == "password" and error.extra["errors"]
    assert _step(flow) == Step.PASSWORD and not MemberProfile.objects.exists()


def test_the_last_step_opens_an_account_linked_to_the_person_and_all_their_kpjs(worker):
    from jaminanku.registry.tests.factories import MembershipFactory

    second_kpj = MembershipFactory(person=worker.person, segment="BPU", kpj="12345678902")
    flow = walk(worker)
    assert flow.step == Step.DONE
    user = flow.user
    assert user.username == user.email == "siti.rahayu@example.com" and user.check_password(GOOD_PASSWORD)
    profile = user.member_profile
    assert profile.person == worker.person and profile.phone == "+6281298765432"
    assert set(profile.person.memberships.values_list("kpj", flat=True)) == {worker.membership.kpj, second_kpj.kpj}


def test_a_finished_flow_cannot_be_replayed(worker):
    flow = walk(worker)
    _refused(signup.set_password, "wrong_step", flow=flow, password=GOOD_PASSWORD)
    _refused(signup.go_back, "cannot_go_back", flow=flow)
