"""The same sign-up and account actions under /api/v1/: JSON errors with a stable code and a translated message,
bearer tokens, and no 500 for any input."""

import json

import pytest

from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, api_login, code_sent_to

pytestmark = pytest.mark.django_db
EMAIL = "siti.rahayu@example.com"


def _post(client, path, data=None, token=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1{path}", json.dumps(data or {}), content_type="application/json", **headers, **extra)


def _get(client, path, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", **headers)


def _walk_api(client, worker, *, email=EMAIL, phone="081298765432"):
    response = _post(client, "/signup/", {"email": email})
    assert response.status_code == 201, response.content
    flow = response.json()
    fid = flow["flow_id"]
    assert flow["step"] == "email_code"
    calls = [
        ("/email/verify", lambda: {"code": code_sent_to(email)}, "segment"),
        ("/segment", lambda: {"segment": "PU"}, "name"),
        ("/name", lambda: {"full_name": worker.person.full_name}, "birth_date"),
        ("/birth-date", lambda: {"date_of_birth": worker.person.date_of_birth.isoformat()}, "nik"),
        ("/nik", lambda: {"nik": worker.person.nik}, "kpj"),
        ("/kpj", lambda: {"kpj": worker.membership.kpj}, "phone"),
        ("/phone", lambda: {"phone": phone}, "phone_code"),
        ("/phone/verify", lambda: {"code": code_sent_to("+62" + phone[1:])}, "password"),
        ("/password", lambda: {"password": GOOD_PASSWORD}, "done"),
    ]
    for path, data, step in calls:
        response = _post(client, f"/signup/{fid}{path}", data())
        assert response.status_code == 200, (path, response.content)
        flow = response.json()
        if flow["step"] == "registered":
            return flow
        assert flow["step"] == step
    return flow


def test_api_walks_the_same_flow_and_ends_with_a_token(client, worker):
    flow = _walk_api(client, worker)
    assert flow["step"] == "done" and flow["token"].startswith("jk_")
    me = _get(client, "/accounts/me", token=flow["token"])
    assert me.status_code == 200
    assert me.json() == {
        "email": EMAIL,
        "phone": "+6281298765432",
        "full_name": worker.person.full_name,
        "nik_masked": worker.person.nik[:4] + "********" + worker.person.nik[-4:],
        "kpj": [worker.membership.kpj],
    }
    assert _get(client, f"/signup/{flow['flow_id']}").json()["token"] is None  # the token is given once


def test_errors_are_json_with_a_stable_code_and_a_message(client, worker):
    fid = _post(client, "/signup/", {"email": EMAIL}).json()["flow_id"]
    wrong = _post(client, f"/signup/{fid}/email/verify", {"code": "abcdef"})
    assert wrong.status_code == 400
    assert (
        wrong.json()["code"] == "code_invalid" and wrong.json()["field"] == "code" and wrong.json()["tries_left"] == 4
    )
    soon = _post(client, f"/signup/{fid}/email/resend")
    assert soon.status_code == 429 and soon.json()["code"] == "code_resend_too_soon"
    out_of_order = _post(client, f"/signup/{fid}/nik", {"nik": worker.person.nik})
    assert out_of_order.json()["code"] == "wrong_step" and out_of_order.json()["step"] == "email_code"
    missing = _get(client, "/signup/no-such-flow")
    assert missing.status_code == 404 and missing.json()["code"] == "flow_not_found"
    bad = _post(client, "/signup/", {"email": "budi@"})
    assert bad.json() == {"code": "email_invalid", "message": "Masukkan alamat email yang valid.", "field": "email"}


def test_identity_mismatch_on_the_api_is_the_same_one_message(client, worker):
    fid = _post(client, "/signup/", {"email": EMAIL}).json()["flow_id"]
    for path, data in [
        ("/email/verify", {"code": code_sent_to(EMAIL)}),
        ("/segment", {"segment": "PU"}),
        ("/name", {"full_name": "Orang Lain"}),
        ("/birth-date", {"date_of_birth": worker.person.date_of_birth.isoformat()}),
        ("/nik", {"nik": worker.person.nik}),
    ]:
        assert _post(client, f"/signup/{fid}{path}", data).status_code == 200
    response = _post(client, f"/signup/{fid}/kpj", {"kpj": worker.membership.kpj})
    assert response.json() == {
        "code": "identity_mismatch",
        "message": "Data tidak sesuai dengan data kepesertaan",
        "field": None,
    }


GARBAGE = [
    None,
    [],
    "x",
    {"email": None},
    {"email": 12},
    {"email": "a" * 10_000},
    {"code": {"$ne": 1}},
    {"date_of_birth": "31/02/1992"},
    {"date_of_birth": "0000-00-00"},
    {"segment": "\x00"},
    {"phone": "☎" * 20},
    {"password": ""},
    {"contact_email": "x", "contact_phone": "y"},
]


def test_no_input_makes_a_500(client, worker):
    fid = _post(client, "/signup/", {"email": EMAIL}).json()["flow_id"]
    paths = [
        "/signup/",
        f"/signup/{fid}/email",
        f"/signup/{fid}/email/verify",
        f"/signup/{fid}/segment",
        f"/signup/{fid}/name",
        f"/signup/{fid}/birth-date",
        f"/signup/{fid}/nik",
        f"/signup/{fid}/kpj",
        f"/signup/{fid}/phone",
        f"/signup/{fid}/phone/verify",
        f"/signup/{fid}/password",
        f"/signup/{fid}/back",
        f"/signup/{fid}/registered/recovery",
        f"/signup/{fid}/registered/account-reset",
        "/signup/%00/kpj",
        "/accounts/login",
        "/accounts/password-reset",
        "/accounts/password-reset/confirm",
    ]
    for path in paths:
        for body in GARBAGE:
            response = client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (path, body, response.content)
            if response.status_code >= 400:
                assert "code" in response.json(), (path, body)
        response = client.post(f"/api/v1{path}", "{not json", content_type="application/json")
        assert response.status_code < 500, (path, response.content)
    assert _get(client, "/accounts/reset-requests/%20%20").status_code == 404


def test_control_characters_never_reach_the_database(client, worker):
    fid = _post(client, "/signup/", {"email": EMAIL}).json()["flow_id"]
    _post(client, f"/signup/{fid}/email/verify", {"code": code_sent_to(EMAIL)})
    _post(client, f"/signup/{fid}/segment", {"segment": "PU"})
    response = _post(client, f"/signup/{fid}/name", {"full_name": "Siti\x00Rahayu"})
    assert response.status_code == 400 and response.json()["code"] == "name_invalid"
    assert _get(client, "/signup/abc%00def").status_code == 404
    assert _post(client, "/accounts/login", {"email": "a\x00@b.id", "password": "x"}).status_code == 401
    assert _post(client, "/accounts/password-reset", {"email": "a\x00@b.id"}).status_code == 400


def test_login_token_logout(client, registered):
    failed = _post(client, "/accounts/login", {"email": registered.email, "password": "salah-sekali"})
    assert failed.status_code == 401 and failed.json()["code"] == "login_failed"
    challenge = _post(client, "/accounts/login", {"email": "Budi@Gmail.com", "password": registered.password})
    assert challenge.status_code == 202 and challenge.json()["method"] == "email"  # a new device: the second step
    step = {"challenge": challenge.json()["challenge"], "code": code_sent_to(registered.email)}
    verified = _post(client, "/accounts/login/verify", step)
    token = verified.json()["token"]
    assert _get(client, "/accounts/me", token=token).status_code == 200
    assert _post(client, "/accounts/logout", token=token).json()["ok"] is True
    denied = _get(client, "/accounts/me", token=token)
    assert denied.status_code == 401 and denied.json()["code"] == "unauthenticated"
    assert _get(client, "/accounts/me", token="jk_not-a-token").status_code == 401


def test_api_login_is_throttled_like_the_web(client, registered):
    for _ in range(5):
        _post(client, "/accounts/login", {"email": registered.email, "password": "salah-sekali"})
    locked = _post(client, "/accounts/login", {"email": registered.email, "password": registered.password})
    assert locked.status_code == 429 and locked.json()["code"] == "login_locked"


def test_session_auth_works_for_the_web_app(client, registered):
    client.force_login(registered.worker.person.member_profile.user)
    assert _get(client, "/accounts/me").json()["email"] == registered.email


def test_registered_and_the_three_ways_out_on_the_api(client, registered):
    flow = _walk_api(client, registered.worker)
    assert flow["step"] == "registered"
    assert flow["registered"] == {"email_masked": "b***i@g***l.com", "phone_masked": "+62812****7890"}
    fid = flow["flow_id"]
    # (b) recovery by SMS
    assert _post(client, f"/signup/{fid}/registered/recovery").json()["step"] == "recovery_code"
    verified = _post(client, f"/signup/{fid}/registered/recovery/verify", {"code": code_sent_to(registered.phone)})
    assert verified.json()["step"] == "recovery_password"
    done = _post(client, f"/signup/{fid}/registered/recovery/password", {"password": GOOD_PASSWORD}).json()
    assert done["step"] == "done" and _get(client, "/accounts/me", token=done["token"]).json()["email"] == EMAIL


def test_account_reset_request_and_its_status_on_the_api(client, registered):
    fid = _walk_api(client, registered.worker)["flow_id"]
    response = _post(
        client, f"/signup/{fid}/registered/account-reset", {"contact_email": EMAIL, "contact_phone": "081311112222"}
    )
    assert response.status_code == 201
    reset = response.json()["reset_request"]
    assert reset["status"] == "received" and reset["tracking_number"].startswith("RA-")
    status = _get(client, f"/accounts/reset-requests/{reset['tracking_number']}")
    assert status.json()["due_on"] == reset["due_on"]


def test_way_a_on_the_api(client, registered):
    fid = _walk_api(client, registered.worker)["flow_id"]
    assert _post(client, f"/signup/{fid}/registered/password-reset").status_code == 200
    code = code_sent_to(registered.email)
    done = _post(client, f"/signup/{fid}/registered/password-reset/confirm", {"code": code, "password": GOOD_PASSWORD})
    assert done.json()["step"] == "done"
    # the new password is accepted: the second step follows (its code waits a minute after the reset code)
    assert _post(client, "/accounts/login", {"email": registered.email, "password": GOOD_PASSWORD}).status_code == 202


def test_account_changes_on_the_api(client, registered):
    token = api_login(client, registered.email, registered.password)["token"]
    assert _post(
        client,
        "/accounts/email",
        {"email": "budi.baru@example.com", "current_password": registered.password},
        token=token,
    ).json()["sent_to"] == ("budi.baru@example.com")
    assert _post(client, "/accounts/email/verify", {"code": code_sent_to("budi.baru@example.com")}, token=token).json()[
        "ok"
    ]
    assert (
        _post(
            client, "/accounts/phone", {"phone": "081311112222", "current_password": registered.password}, token=token
        ).status_code
        == 200
    )
    assert _post(client, "/accounts/phone/verify", {"code": code_sent_to("+6281311112222")}, token=token).json()["ok"]
    wrong = _post(client, "/accounts/password", {"current_password": "x", "password": GOOD_PASSWORD}, token=token)
    assert wrong.json()["code"] == "password_wrong"
    changed = _post(
        client, "/accounts/password", {"current_password": registered.password, "password": GOOD_PASSWORD}, token=token
    )
    new_token = changed.json()["token"]
    assert _get(client, "/accounts/me", token=token).status_code == 401  # every old token ended
    me = _get(client, "/accounts/me", token=new_token).json()
    assert (me["email"], me["phone"]) == ("budi.baru@example.com", "+6281311112222")


def test_forgot_password_on_the_api(client, registered):
    assert _post(client, "/accounts/password-reset", {"email": "tidak.ada@example.com"}).json() == {
        "ok": True,
        "sent_to": None,
    }
    assert _post(client, "/accounts/password-reset", {"email": registered.email}).status_code == 200
    confirm = _post(
        client,
        "/accounts/password-reset/confirm",
        {"email": registered.email, "code": code_sent_to(registered.email), "password": GOOD_PASSWORD},
    )
    assert confirm.json()["ok"] is True


def test_openapi_lists_the_signup_and_account_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/signup/" in schema["paths"] and "/api/v1/signup/{flow_id}/kpj" in schema["paths"]
    assert "/api/v1/accounts/login" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_english_messages_when_the_client_asks(client, db):
    response = client.post(
        "/api/v1/signup/", json.dumps({"email": "x"}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["code"] == "email_invalid" and response["Content-Language"] == "en"


def test_a_nik_whose_date_does_not_exist_is_refused_with_a_translated_message(client, worker):
    fid = _post(client, "/signup/", {"email": EMAIL}).json()["flow_id"]
    for path, data in [
        ("/email/verify", {"code": code_sent_to(EMAIL)}),
        ("/segment", {"segment": "PU"}),
        ("/name", {"full_name": worker.person.full_name}),
        ("/birth-date", {"date_of_birth": worker.person.date_of_birth.isoformat()}),
    ]:
        assert _post(client, f"/signup/{fid}{path}", data).status_code == 200
    refused = _post(client, f"/signup/{fid}/nik", {"nik": "3201013102850001"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "nik_invalid",
        "message": "The date of birth in the NIK (31-02-85) does not exist in the calendar.",
        "field": "nik",
    }
    assert _get(client, f"/signup/{fid}").json()["step"] == "nik"
