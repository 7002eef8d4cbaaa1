"""The identity check at the KPJ step: name, date of birth, NIK and KPJ must be one person's, with a membership
of the chosen segment. Any mismatch gets the same message, and repeated mismatches are limited per flow and per
address in the database, so the registry cannot be probed."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from jaminanku.accounts.models import FailureCount, SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import make_worker, walk
from jaminanku.core.errors import DomainError, RateLimited

pytestmark = pytest.mark.django_db
Step = SignupFlow.Step
MISMATCH = "Data tidak sesuai dengan data kepesertaan"


_emails = (f"siti{n}@example.com" for n in range(1000))


def _at_kpj(worker, **answers):
    """A flow at the KPJ step whose earlier answers are the worker's, except those given."""
    flow = walk(worker, email=next(_emails), until=Step.SEGMENT)
    a = {**worker.answers, **answers}
    signup.choose_segment(flow=flow, segment=a["segment"])
    signup.give_name(flow=flow, full_name=a["full_name"])
    signup.give_birth_date(flow=flow, date_of_birth=a["date_of_birth"])
    return signup.give_nik(flow=flow, nik=a["nik"])


@pytest.fixture
def other(db):
    """Another worker, to borrow a real NIK and KPJ that do not belong to Siti."""
    return make_worker(full_name="Agus Salim", date_of_birth=date(1980, 1, 2), sex="M", kpj="33345678901")


@pytest.mark.parametrize(
    "case",
    ["unknown NIK", "someone else's NIK", "name", "date of birth", "unknown KPJ", "someone else's KPJ", "segment"],
)
def test_every_mismatch_gets_the_same_message_and_no_hint(worker, other, case):
    answers = {
        "unknown NIK": {"nik": worker.person.nik[:12] + "0777"},
        "someone else's NIK": {"nik": other.person.nik},
        "name": {"full_name": "Siti Rahayuningsih"},
        "date of birth": {"date_of_birth": date(1992, 3, 15)},
        "segment": {"segment": "BPU"},
    }.get(case, {})
    kpj = {"unknown KPJ": "99999999999", "someone else's KPJ": other.membership.kpj}.get(case, worker.membership.kpj)
    flow = _at_kpj(worker, **answers)
    with pytest.raises(DomainError) as exc:
        signup.give_kpj(flow=flow, kpj=kpj)
    assert (exc.value.code, str(exc.value.message), exc.value.field) == ("identity_mismatch", MISMATCH, None)
    flow.refresh_from_db()
    assert flow.step == Step.KPJ and flow.kpj == kpj and flow.person is None  # what was typed is kept


def test_name_matches_after_folding_case_spacing_and_punctuation(worker):
    flow = _at_kpj(worker, full_name="  SITI   rahayu. ")
    assert signup.give_kpj(flow=flow, kpj=worker.membership.kpj).person == worker.person


def test_jakon_membership_cannot_sign_up_here(db):
    jakon = make_worker(
        full_name="Joko Bangun", date_of_birth=date(1990, 5, 5), sex="M", kpj="44445678901", segment="JAKON"
    )
    flow = walk(jakon, until=Step.SEGMENT)
    with pytest.raises(DomainError) as exc:
        signup.choose_segment(flow=flow, segment="JAKON")
    assert exc.value.code == "segment_invalid"


def test_sixth_mismatch_in_a_flow_is_rate_limited_even_with_the_right_data(worker):
    flow = _at_kpj(worker)
    for _ in range(5):
        with pytest.raises(DomainError) as exc:
            signup.give_kpj(flow=flow, kpj="99999999999")
        assert exc.value.code == "identity_mismatch"
    with pytest.raises(RateLimited) as limited:
        signup.give_kpj(flow=flow, kpj=worker.membership.kpj)
    assert limited.value.code == "identity_rate_limited" and limited.value.status == 429


def test_mismatches_from_one_address_are_limited_across_flows(worker, settings):
    settings.ACCOUNTS_IDENTITY_FAILURES_PER_IP = 3
    for _ in range(3):
        flow = _at_kpj(worker)
        with pytest.raises(DomainError):
            signup.give_kpj(flow=flow, kpj="99999999999", client_ip="203.0.113.7")
        SignupFlow.objects.filter(pk=flow.pk).delete()
    fresh = _at_kpj(worker)
    with pytest.raises(RateLimited):
        signup.give_kpj(flow=fresh, kpj=worker.membership.kpj, client_ip="203.0.113.7")
    # another address is not affected
    assert signup.give_kpj(flow=fresh, kpj=worker.membership.kpj, client_ip="198.51.100.1").step == Step.PHONE


def test_the_limit_lives_in_the_database_shared_by_every_process(worker, settings):
    """The count is a database row, not a cache entry: emptying the cache (another process has its own memory)
    changes nothing, and a limit reached here holds everywhere."""
    settings.ACCOUNTS_IDENTITY_FAILURES_PER_IP = 2
    for _ in range(2):
        flow = _at_kpj(worker)
        with pytest.raises(DomainError):
            signup.give_kpj(flow=flow, kpj="99999999999", client_ip="203.0.113.9")
    assert FailureCount.objects.filter(key__startswith="identity-ip:", failures=2).count() == 1
    cache.clear()
    with pytest.raises(RateLimited):
        signup.give_kpj(flow=_at_kpj(worker), kpj=worker.membership.kpj, client_ip="203.0.113.9")


def test_purge_forgets_failure_counts_whose_window_has_ended(worker):
    two_hours_ago = timezone.now() - timedelta(hours=2)
    with pytest.raises(DomainError):
        signup.give_kpj(flow=_at_kpj(worker), kpj="99999999999", client_ip="203.0.113.5", now=two_hours_ago)
    with pytest.raises(DomainError):
        signup.give_kpj(flow=_at_kpj(worker), kpj="99999999999", client_ip="203.0.113.6")
    assert FailureCount.objects.filter(failures=1).count() == 4  # per flow and per address, twice
    call_command("purge_signups")
    assert FailureCount.objects.filter(failures=1).count() == 2  # the current hour's
