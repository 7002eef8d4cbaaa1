"""Going back keeps the answers, the flow lives on the server and ends after 30 idle minutes, and a step can only
be answered when the flow is at it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import code_sent_to, walk
from jaminanku.core.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db
Step = SignupFlow.Step


def test_going_back_step_by_step_keeps_every_answer(worker):
    flow = walk(worker, until=Step.PHONE)
    visited = []
    while flow.step != Step.EMAIL:
        flow = signup.go_back(flow=flow)
        visited.append(flow.step)
    assert visited == [Step.KPJ, Step.NIK, Step.BIRTH_DATE, Step.NAME, Step.SEGMENT, Step.EMAIL]
    a = worker.answers
    assert (flow.segment, flow.full_name, flow.date_of_birth, flow.nik, flow.kpj) == (
        a["segment"],
        a["full_name"],
        a["date_of_birth"],
        a["nik"],
        a["kpj"],
    )
    assert not flow.email_verified and flow.person is None


def test_after_going_back_to_the_email_it_must_be_verified_again(worker):
    now = timezone.now()
    flow = walk(worker, until=Step.NAME, now=now)
    signup.go_back(flow=flow, now=now)
    flow = signup.go_back(flow=flow, now=now)
    flow = signup.give_email(flow=flow, email="siti.baru@example.com", now=now, client_ip=None)
    assert flow.step == Step.EMAIL_CODE and flow.segment == "PU"
    flow = signup.verify_email_code(flow=flow, code=code_sent_to("siti.baru@example.com"), now=now)
    assert flow.step == Step.SEGMENT and flow.email == "siti.baru@example.com" and flow.email_verified


def test_going_back_past_the_kpj_checks_the_identity_again(worker):
    flow = walk(worker, until=Step.PHONE)
    assert flow.person == worker.person
    flow = signup.go_back(flow=flow)
    assert flow.step == Step.KPJ and flow.person is None
    with pytest.raises(DomainError) as exc:
        signup.give_kpj(flow=flow, kpj="99999999999")
    assert exc.value.code == "identity_mismatch"
    assert signup.give_kpj(flow=flow, kpj=worker.membership.kpj).step == Step.PHONE


def test_going_back_from_the_password_asks_for_the_phone_code_again(worker):
    flow = walk(worker, until=Step.PASSWORD)
    flow = signup.go_back(flow=flow)
    assert flow.step == Step.PHONE and not flow.phone_verified and flow.phone == "+6281298765432"


def test_a_step_cannot_be_answered_out_of_order(worker):
    flow = walk(worker, until=Step.NIK)
    with pytest.raises(DomainError) as exc:
        signup.give_name(flow=flow, full_name="Orang Lain")
    assert exc.value.code == "wrong_step" and exc.value.extra["step"] == Step.NIK
    with pytest.raises(DomainError) as skipped:
        signup.give_phone(flow=flow, phone="081298765432", client_ip=None)
    assert skipped.value.code == "wrong_step"
    with pytest.raises(DomainError) as first:
        signup.go_back(flow=signup.go_back(flow=signup.go_back(flow=signup.go_back(flow=signup.go_back(flow=flow)))))
    assert first.value.code == "cannot_go_back"


def test_the_flow_survives_a_reload_it_is_read_back_from_the_database(worker):
    flow = walk(worker, until=Step.BIRTH_DATE)
    again = signup.load_flow(flow.pk)
    assert again.step == Step.BIRTH_DATE and again.full_name == worker.person.full_name


def test_flow_ends_after_thirty_idle_minutes_and_each_answer_restarts_the_clock(worker):
    start = timezone.now()
    flow = walk(worker, until=Step.NAME, now=start)
    flow = signup.give_name(flow=flow, full_name=worker.person.full_name, now=start + timedelta(minutes=29))
    assert flow.expires_at() == start + timedelta(minutes=59)
    signup.load_flow(flow.pk, now=start + timedelta(minutes=58))
    with pytest.raises(DomainError) as exc:
        signup.give_birth_date(
            flow=flow, date_of_birth=worker.person.date_of_birth, now=start + timedelta(minutes=59, seconds=1)
        )
    assert exc.value.code == "flow_expired"
    with pytest.raises(DomainError):
        signup.go_back(flow=flow, now=start + timedelta(hours=2))


def test_unknown_flow_is_not_found():
    with pytest.raises(NotFound) as exc:
        signup.load_flow("no-such-flow")
    assert exc.value.code == "flow_not_found" and exc.value.status == 404


def test_purge_deletes_week_old_flows_and_day_old_codes(worker, capsys):
    from django.core.management import call_command

    from jaminanku.accounts.models import OneTimeCode

    old = walk(worker, email="lama@example.com", until=Step.NAME, now=timezone.now() - timedelta(days=8))
    fresh = walk(worker, email="baru@example.com", until=Step.NAME)
    call_command("purge_signups")
    assert list(SignupFlow.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not OneTimeCode.objects.filter(scope=old.pk).exists() and OneTimeCode.objects.filter(scope=fresh.pk)
    assert "deleted 1 sign-up flows" in capsys.readouterr().out
