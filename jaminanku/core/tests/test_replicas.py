"""Where each query goes with a read replica (jaminanku.core.db_routing), on a real primary and a hot standby
streaming from it synchronously (scripts/with-postgres-replicas; `make test-replicas`). Every statement on each
alias is captured: a member's reads on the standby, writes and security state on the primary, a member who just
wrote reads the primary (proved while the standby has not replayed the write), a lagging standby is left alone."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.bookings.models import Booking
from jaminanku.bookings.tests.conftest import first_free_day, make_member
from jaminanku.core import db_routing
from jaminanku.core.tests.replicas import REPLICA_TESTS, queries, replay_paused, require_replica, standby_caught_up
from jaminanku.offices.models import Office

pytestmark = REPLICA_TESTS

MEMBER_DATA = ("bookings_", "registry_", "contributions_", "offices_")
SECURITY_STATE = ("accounts_", "auth_", "django_session", "axes_")


@pytest.fixture
def setup(settings):
    require_replica()
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    settings.REPLICA_LAG_CHECK_SECONDS = 0
    settings.READ_YOUR_WRITES_SECONDS = 2
    office = Office.objects.create(
        code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32", time_zone="Asia/Jakarta"
    )
    dewi = make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    agus = make_member(email="agus.salim@example.com", phone="+6281211110002", ended_days_ago=120)
    standby_caught_up()
    return office, dewi, agus


def bearer(member) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=member.user, label='test')}"}


def touches(statements: list[str], prefixes: tuple[str, ...]) -> bool:
    """Whether a statement reads from or writes to a table of these apps (the token check's JOIN to its person does
    not count: the statement is about the token)."""
    verbs = ("FROM", "UPDATE", "INSERT INTO")
    return any(f'{verb} "{prefix}' in sql for sql in statements for prefix in prefixes for verb in verbs)


def test_member_reads_go_to_the_standby_and_security_state_to_the_primary(client, setup):
    _office, dewi, _agus = setup
    headers = bearer(dewi)
    standby_caught_up()
    with queries() as seen:
        response = client.get("/api/v1/bookings/mine", **headers)
    assert response.status_code == 200
    assert touches(seen.replica, MEMBER_DATA)  # the member and her bookings came from the standby
    assert not touches(seen.primary, MEMBER_DATA)
    assert touches(seen.primary, ("accounts_apitoken",))  # the token was checked on the primary
    assert not touches(seen.replica, SECURITY_STATE)

    with queries() as seen:  # a visitor's public read too
        assert client.get("/api/v1/bookings/provinces").status_code == 200
    assert touches(seen.replica, ("offices_",)) and not seen.primary


def test_a_write_then_an_immediate_read_by_the_same_member_reads_the_primary(client, setup):
    office, dewi, agus = setup
    dewi_headers, agus_headers = bearer(dewi), bearer(agus)
    standby_caught_up()
    payload = {"office": office.code, "day": first_free_day(office).isoformat(), "hour": 9}
    with replay_paused():
        with queries() as seen:
            booked = client.post(
                "/api/v1/bookings/mine", json.dumps(payload), content_type="application/json", **dewi_headers
            )
        assert booked.status_code == 201, booked.content
        assert not touches(seen.replica, MEMBER_DATA)  # a POST reads and writes the primary only
        code = booked.json()["code"]
        assert not Booking.objects.using("replica").filter(code=code).exists()  # the standby has not applied it

        with queries() as seen:  # Dewi reads her own write at once: from the primary
            mine = client.get("/api/v1/bookings/mine", **dewi_headers)
        assert [b["code"] for b in mine.json()] == [code]
        assert touches(seen.primary, ("bookings_",)) and not touches(seen.replica, MEMBER_DATA)

        with queries() as seen:  # Agus, who wrote nothing, reads the standby
            assert client.get("/api/v1/bookings/mine", **agus_headers).json() == []
        assert touches(seen.replica, ("bookings_",)) and not touches(seen.primary, MEMBER_DATA)

    standby_caught_up()
    time.sleep(2.1)  # READ_YOUR_WRITES_SECONDS later Dewi is back on the standby, which has her booking now
    with queries() as seen:
        mine = client.get("/api/v1/bookings/mine", **dewi_headers)
    assert [b["code"] for b in mine.json()] == [code]
    assert touches(seen.replica, ("bookings_",)) and not touches(seen.primary, MEMBER_DATA)


def test_a_standby_lagging_more_than_the_setting_is_not_read(client, setup, settings, capsys):
    office, dewi, agus = setup
    agus_headers = bearer(agus)
    settings.REPLICA_MAX_LAG_SECONDS = 1
    standby_caught_up()
    call_command("replica_status")
    assert "replica lag: 0.000s" in capsys.readouterr().out
    with replay_paused():
        Office.objects.filter(pk=office.pk).update(name="Kantor Cabang Bandung Kota")  # WAL the standby holds back
        time.sleep(1.5)
        assert db_routing.replica_lag_seconds() > 1
        with queries() as seen:
            assert client.get("/api/v1/bookings/mine", **agus_headers).status_code == 200
        assert touches(seen.primary, ("bookings_",)) and not touches(seen.replica, MEMBER_DATA)
        with pytest.raises(CommandError, match="reads go to the primary"):
            call_command("replica_status")
    standby_caught_up()
    with queries() as seen:
        assert client.get("/api/v1/bookings/mine", **agus_headers).status_code == 200
    assert touches(seen.replica, ("bookings_",))


def test_reads_inside_a_transaction_and_outside_a_request_read_the_primary(setup):
    office, _dewi, _agus = setup
    with queries() as seen:
        Office.objects.filter(pk=office.pk).exists()  # a job or a command: no request, the primary
    assert seen.primary and not seen.replica
    request = RequestFactory().get("/api/v1/bookings/provinces")
    scope, token = db_routing.open_scope(request, eligible=True)
    try:
        with queries() as seen:
            Office.objects.filter(pk=office.pk).exists()
            with transaction.atomic():
                Office.objects.filter(pk=office.pk).count()
        assert len(seen.replica) == 1 and "COUNT" in seen.primary[-2]  # the count, before the COMMIT
        with queries() as seen:
            Office.objects.filter(pk=office.pk).update(address="Jl. Asia Afrika 1")
            Office.objects.filter(pk=office.pk).exists()  # after a write, this request stays on the primary
        assert not seen.replica and scope.wrote
    finally:
        db_routing.close_scope(token)


def test_staff_pages_read_the_primary(setup, staff_client):
    with queries() as seen:
        assert staff_client.get("/staf/").status_code == 200
    assert not seen.replica
    assert [sql for sql in seen.primary if not touches([sql], SECURITY_STATE)]  # it read more than the login
