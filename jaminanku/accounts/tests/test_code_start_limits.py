"""One client address may start only so many things that send a code (ACCOUNTS_CODE_STARTS_PER_IP, 20 an hour
by default): sign-up email and phone steps, forgot password, recovery by SMS, changes of email and phone. Past
that, the web page says why and keeps what was typed; the API answers 429 with a stable code. Another address
is not affected, and the web pages and the API count together, in the shared cache."""

import json

import pytest
from django.test import Client

from jaminanku.accounts.models import FailureCount, SignupFlow
from jaminanku.accounts.profile import services as contact_changes
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import walk
from jaminanku.core.errors import RateLimited
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
REFUSED = "Terlalu banyak permintaan kode dari jaringan Anda"
CODE = "code_starts_per_address"


def _api(client, path, data=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1{path}", json.dumps(data or {}), content_type="application/json", **headers)


def test_the_21st_web_signup_start_from_one_address_is_refused_and_the_email_stays(client, db):
    for n in range(20):
        assert client.post("/daftar/?baru=1", {"email": f"orang{n}@example.com"}).status_code == 302
    flows = SignupFlow.objects.count()
    refused = client.post("/daftar/?baru=1", {"email": "orang20@example.com"})
    page = refused.content.decode()
    assert refused.status_code == 200 and REFUSED in page
    assert 'value="orang20@example.com"' in page  # what was typed stays
    assert SignupFlow.objects.count() == flows and not OutboundMessage.objects.filter(to="orang20@example.com")
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post("/daftar/", {"email": "orang20@example.com"}).status_code == 302


def test_the_21st_api_signup_start_is_refused_with_429_and_a_stable_code(client, db):
    for n in range(20):
        assert _api(client, "/signup/", {"email": f"orang{n}@example.com"}).status_code == 201
    refused = _api(client, "/signup/", {"email": "orang20@example.com"})
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == CODE and REFUSED in body["message"] and 0 < body["retry_after"] <= 3600
    assert _api(Client(REMOTE_ADDR="198.51.100.20"), "/signup/", {"email": "orang20@example.com"}).status_code == 201


def test_web_and_api_count_together(client, settings, db):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "2/h"
    assert client.post("/lupa-sandi/", {"email": "a@example.com"}).status_code == 302
    assert _api(client, "/accounts/password-reset", {"email": "b@example.com"}).status_code == 200
    assert _api(client, "/signup/", {"email": "c@example.com"}).json()["code"] == CODE
    page = client.post("/lupa-sandi/", {"email": "d@example.com"}).content.decode()
    assert REFUSED in page and 'value="d@example.com"' in page


def test_the_phone_step_is_counted(client, worker, settings):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "1/h"
    flow = walk(worker, until=SignupFlow.Step.PHONE)  # through the services: nothing counted yet
    session = client.session
    session["signup_flow"] = flow.pk
    session.save()
    assert client.post("/daftar/nomor-hp/", {"phone": "081298765432"}).status_code == 302
    assert client.post("/daftar/kode-sms/", {"back": "1"}).status_code == 302  # back to the phone step
    refused = client.post("/daftar/nomor-hp/", {"phone": "081298765433"})
    assert REFUSED in refused.content.decode() and 'value="081298765433"' in refused.content.decode()
    assert not OutboundMessage.objects.filter(to="+6281298765433").exists()


def test_recovery_by_sms_is_counted_on_the_web_and_the_api(client, registered, settings):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "1/h"
    flow = walk(registered.worker, email="budi.baru@example.com", phone="081311112222")
    assert flow.step == SignupFlow.Step.REGISTERED
    session = client.session
    session["signup_flow"] = flow.pk
    session.save()
    first = client.post("/daftar/sudah-terdaftar/", {"action": "recover_by_phone"})
    assert first.status_code == 302  # the first one goes through
    flow.refresh_from_db()
    assert flow.step == SignupFlow.Step.RECOVERY_CODE
    again = _api(client, f"/signup/{flow.pk}/registered/password-reset")
    assert again.status_code == 429 and again.json()["code"] == CODE


def test_changes_of_email_and_phone_are_counted(client, registered, settings):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "2/h"
    pw = registered.password
    client.force_login(registered.worker.person.member_profile.user)
    assert client.post("/akun/email/", {"email": "budi.baru@example.com", "current_password": pw}).status_code == 302
    assert client.post("/akun/nomor-hp/", {"phone": "081311112222", "current_password": pw}).status_code == 302
    page = client.post("/akun/nomor-hp/", {"phone": "081311113333", "current_password": pw}).content.decode()
    assert REFUSED in page and 'value="081311113333"' in page
    assert (
        _api(client, "/accounts/email", {"email": "budi.lain@example.com", "current_password": pw}).json()["code"]
        == CODE
    )


def test_one_ipv6_subscriber_network_counts_as_one_address(settings, db):
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "1/h"
    first = Client(REMOTE_ADDR="2001:db8:1:2::10")
    same_network = Client(REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::10")
    assert _api(first, "/signup/", {"email": "a@example.com"}).status_code == 201
    assert _api(same_network, "/signup/", {"email": "b@example.com"}).status_code == 429
    assert _api(other_network, "/signup/", {"email": "c@example.com"}).status_code == 201


def test_the_count_lives_in_the_database_shared_by_every_process(client, settings, db):
    """The count reached through one process holds for every other: it is a database row, whatever the cache."""
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "2/h"
    for n in range(2):
        assert _api(client, "/signup/", {"email": f"orang{n}@example.com"}).status_code == 201
    assert list(FailureCount.objects.values_list("failures", flat=True)) == [2]
    assert _api(client, "/signup/", {"email": "orang2@example.com"}).status_code == 429


def test_the_services_that_send_a_code_count_the_start_themselves(registered, settings):
    """The limit lives in the services, so a new page or endpoint that calls them cannot leave it out: each of them
    takes the client's address and refuses past the limit before anything is sent."""
    settings.ACCOUNTS_CODE_STARTS_PER_IP = "1/h"
    user = registered.worker.person.member_profile.user
    address = "203.0.113.40"
    contact_changes.request_change(
        contact_changes.EMAIL_CHANGE,
        user=user,
        new_value="budi.baru@example.com",
        current_password=registered.password,
        client_ip=address,
    )
    starts = [
        lambda: signup.start_signup(email="orang@example.com", client_ip=address),
        lambda: recovery.request_password_reset(email=registered.email, client_ip=address),
        lambda: contact_changes.request_change(
            contact_changes.PHONE_CHANGE,
            user=user,
            new_value="081311113333",
            current_password=registered.password,
            client_ip=address,
        ),
    ]
    sent = OutboundMessage.objects.count()
    for start in starts:
        with pytest.raises(RateLimited) as refused:
            start()
        assert refused.value.code == CODE
    assert OutboundMessage.objects.count() == sent
    assert signup.start_signup(email="orang@example.com", client_ip="198.51.100.40").step == SignupFlow.Step.EMAIL_CODE


def test_a_lifted_limit_lets_the_address_start_again_and_no_other_address_is_touched(client, db):
    from jaminanku.accounts.code_starts import lift_code_starts_limit

    for n in range(20):
        assert _api(client, "/signup/", {"email": f"lagi{n}@example.com"}).status_code == 201
    assert _api(client, "/signup/", {"email": "lagi20@example.com"}).json()["code"] == CODE
    other = Client(REMOTE_ADDR="198.51.100.21")
    assert _api(other, "/signup/", {"email": "lain@example.com"}).status_code == 201
    lift_code_starts_limit(client_ip="127.0.0.1")
    assert _api(client, "/signup/", {"email": "lagi20@example.com"}).status_code == 201
    assert FailureCount.objects.count() == 2  # the other address's count is still there
