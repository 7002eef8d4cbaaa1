"""A finished sign-up forgets its answers: the flow id sits in the email's resume link, so after the account
is opened (or recovered, or a reset request filed) whoever holds the id learns nothing from it — not the NIK,
date of birth, KPJ, phone, email or name — on the API or through the link."""

from __future__ import annotations

import re

import pytest

from jaminanku.accounts.models import SignupFlow
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to, walk
from jaminanku.accounts.tests.test_api import EMAIL, _get, _post, _walk_api
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
Step = SignupFlow.Step
ANSWERS = ("email", "segment", "full_name", "date_of_birth", "nik", "kpj", "phone")


def _personal_values(worker) -> list[str]:
    return [
        worker.person.nik,
        worker.membership.kpj,
        worker.person.full_name,
        worker.person.date_of_birth.isoformat(),
        "81298765432",
        EMAIL,
    ]


def _assert_forgotten(flow_id: str) -> None:
    row = SignupFlow.objects.get(pk=flow_id)
    assert [getattr(row, name) for name in ANSWERS] == ["", "", "", None, "", "", ""]
    assert row.person_id is None


def test_a_finished_signup_shows_nothing_on_the_api(client, worker):
    fid = _walk_api(client, worker)["flow_id"]
    shown = _get(client, f"/signup/{fid}")
    assert shown.status_code == 200
    flow = shown.json()
    assert flow["step"] == "done" and flow["token"] is None
    assert {name: flow[name] for name in ANSWERS} == dict.fromkeys(ANSWERS, "") | {"date_of_birth": None}
    body = shown.content.decode()
    assert not [value for value in _personal_values(worker) if value in body]
    _assert_forgotten(fid)


def test_a_recovered_account_leaves_nothing_in_its_flow(client, registered):
    fid = _walk_api(client, registered.worker)["flow_id"]
    _post(client, f"/signup/{fid}/registered/recovery")
    _post(client, f"/signup/{fid}/registered/recovery/verify", {"code": code_sent_to(registered.phone)})
    done = _post(client, f"/signup/{fid}/registered/recovery/password", {"password": GOOD_PASSWORD}).json()
    assert done["step"] == "done" and done["token"]  # the member still gets their token, once
    flow = _get(client, f"/signup/{fid}").json()
    assert (flow["nik"], flow["kpj"], flow["email"], flow["registered"]) == ("", "", "", None)
    _assert_forgotten(fid)


def test_a_password_reset_through_the_signup_leaves_nothing_in_its_flow(client, registered):
    fid = _walk_api(client, registered.worker)["flow_id"]
    _post(client, f"/signup/{fid}/registered/password-reset")
    code = code_sent_to(registered.email)
    _post(client, f"/signup/{fid}/registered/password-reset/confirm", {"code": code, "password": GOOD_PASSWORD})
    assert _get(client, f"/signup/{fid}").json()["step"] == "done"
    _assert_forgotten(fid)


def test_a_filed_reset_request_keeps_only_its_tracking_number(client, registered):
    fid = _walk_api(client, registered.worker)["flow_id"]
    filed = _post(
        client, f"/signup/{fid}/registered/account-reset", {"contact_email": EMAIL, "contact_phone": "081311112222"}
    ).json()
    assert filed["step"] == "reset_requested" and filed["reset_request"]["tracking_number"].startswith("RA-")
    flow = _get(client, f"/signup/{fid}").json()
    assert flow["reset_request"]["tracking_number"] == filed["reset_request"]["tracking_number"]
    assert (flow["nik"], flow["kpj"], flow["full_name"], flow["date_of_birth"]) == ("", "", "", None)
    _assert_forgotten(fid)


def test_the_resume_link_of_a_finished_signup_leads_to_the_login_and_shows_nothing(client, worker):
    flow = walk(worker, email=EMAIL)
    assert flow.step == Step.DONE
    email = OutboundMessage.objects.filter(to=EMAIL).order_by("created_at", "id").first()
    assert email is not None
    link = re.search(r"(/daftar/lanjut/[\w-]+/)", email.body)
    assert link, email.body
    response = client.get(link.group(1), follow=True)
    assert response.redirect_chain[-1][0] == "/masuk/"
    page = response.content.decode()
    assert not [value for value in _personal_values(worker) if value in page]
    _assert_forgotten(flow.pk)
