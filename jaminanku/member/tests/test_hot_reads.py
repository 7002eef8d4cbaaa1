"""The member's hot read (GET /api/v1/me/balance with a bearer token, issue 27): one SQL statement for the token,
the member and every KPJ's balance and status, however long the history, with the same answer as the web
session's path (`member_overview` through the ORM) and the same refusals as every other bearer-token call."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.models import ApiToken
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.contributions.selfpay import post_bpu_payments
from jaminanku.contributions.tests.helpers import month, resigned_member
from jaminanku.member.tests.conftest import PASSWORD, make_member
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory, PersonFactory

BALANCE = "/api/v1/me/balance"
# Python and C function calls of one warm bearer read of four KPJs through the test client (measured at 10a8f5f:
# 1,731 on SQLite, 1,681 on PostgreSQL; 2,029 and 1,979 before it)
BUDGET = 1_850


def _bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user, label='test')}"}


def _read(client, headers) -> tuple[dict, int]:
    """The answer and the number of SQL statements it took, after a first call that writes last_used_at."""
    assert client.get(BALANCE, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BALANCE, headers=headers)
    assert response.status_code == 200, response.content
    return response.json(), len(captured)


def _by_session(client, user) -> dict:
    client.force_login(user)
    try:
        response = client.get(BALANCE)
        assert response.status_code == 200
        return response.json()
    finally:
        client.logout()


@pytest.fixture
def many_kpjs(db):
    """One person with four KPJs: employed (PU), resigned (PU), an old man past the pension age (PU, so JP is
    not enrolled or non-active), a self-payer (BPU) with JHT, and a fresh Jakon KPJ with no employment."""
    person = PersonFactory(date_of_birth=date(1950, 3, 9))
    employed = MembershipFactory(person=person, segment="PU", registered_on=date(2020, 1, 1))
    EmploymentFactory(membership=employed, start=date(2020, 1, 1), end=date(2023, 4, 30), end_reason="resignation")
    EmploymentFactory(membership=employed, start=date(2023, 5, 1))
    self_paid = MembershipFactory(person=person, segment="BPU", jht_opted=True, registered_on=date(2024, 1, 1))
    post_bpu_payments(period=month(2024, 3), lines=[(self_paid.kpj, 2_000_000)], paid_on=date(2024, 3, 14))
    MembershipFactory(person=person, segment="JAKON", registered_on=date(2025, 2, 1))
    user = create_account_for_demo(person=person, email="banyak@contoh.id", phone="081299990001", password=PASSWORD)
    return user


def test_a_member_with_many_kpjs_reads_everything_in_one_statement_and_the_same_as_the_web_session(client, many_kpjs):
    body, queries = _read(client, _bearer(many_kpjs))
    assert queries == 1
    assert len(body["kpjs"]) == 3
    assert body == _by_session(client, many_kpjs)  # the ORM's path, statuses and all


def test_a_resigned_member_reads_the_same_as_the_web_session(client, db):
    membership = resigned_member(first=date(2023, 1, 1), last=date(2023, 6, 30), wage=4_000_000)
    user = create_account_for_demo(
        person=membership.person, email="keluar@contoh.id", phone="081299990002", password=PASSWORD
    )
    body, queries = _read(client, _bearer(user))
    assert queries == 1 and body["kpjs"][0]["status"]["status"] == "non_active"
    assert body["kpjs"][0]["last_employer"] and body["total_balance"] > 0
    assert body == _by_session(client, user)


def test_the_statement_count_does_not_grow_with_the_history(client, db):
    short = make_member(start=date(2025, 12, 1), months=[month(2025, 12)])
    long_ = make_member(start=date(2016, 1, 1), months=[month(y, m) for y in range(2016, 2026) for m in (1, 6, 12)])
    short_body, short_queries = _read(client, _bearer(short.user))
    long_body, long_queries = _read(client, _bearer(long_.user))
    assert short_queries == long_queries == 1
    assert long_body["total_balance"] > short_body["total_balance"] > 0
    assert long_body == _by_session(client, long_.user)


def test_a_person_without_a_kpj_gets_an_empty_overview(client, db):
    person = PersonFactory()
    user = create_account_for_demo(person=person, email="kosong@contoh.id", phone="081299990003", password=PASSWORD)
    body, queries = _read(client, _bearer(user))
    assert queries == 1 and body["kpjs"] == [] and body["total_balance"] == 0
    assert body == _by_session(client, user)


def test_the_first_use_writes_last_used_at_and_later_ones_do_not_within_a_minute(client, member):
    headers = _bearer(member.user)
    token = ApiToken.objects.get(user=member.user)
    assert token.last_used_at is None
    with CaptureQueriesContext(connection) as first:
        assert client.get(BALANCE, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and len(first) == 2  # the read and the one UPDATE
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    with CaptureQueriesContext(connection) as later:
        assert client.get(BALANCE, headers=headers).status_code == 200
    assert len(later) == 2  # due again after a minute
    with CaptureQueriesContext(connection) as again:
        assert client.get(BALANCE, headers=headers).status_code == 200
    assert len(again) == 1


def test_expired_idle_unknown_and_inactive_tokens_are_refused(client, member, settings):
    headers = _bearer(member.user)
    token = ApiToken.objects.get(user=member.user)
    assert client.get(BALANCE, headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(BALANCE, headers=headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timedelta(days=5),
        last_used_at=timezone.now() - timedelta(days=settings.API_TOKEN_IDLE_DAYS, seconds=1),
    )
    assert client.get(BALANCE, headers=headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    assert client.get(BALANCE, headers=headers).status_code == 200
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert client.get(BALANCE, headers=headers).status_code == 401
    for bad in ("jk_" + "x" * 43, "not-a-token", "jk_" + "y" * 200):
        assert client.get(BALANCE, headers={"Authorization": f"Bearer {bad}"}).status_code == 401


def test_a_staff_token_is_refused_as_not_a_member_in_one_statement(client, django_user_model):
    staff = django_user_model.objects.create_user("petugas", "p@example.com", "a-long-password-1", is_staff=True)
    headers = _bearer(staff)
    assert client.get(BALANCE, headers=headers).status_code == 403
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BALANCE, headers=headers)
    assert response.status_code == 403 and response.json()["code"] == "not_a_member" and len(captured) == 1


def test_a_bearer_answer_carries_no_page_policy_but_stays_private_and_unsniffable(client, member):
    """No Content-Security-Policy is built for a bearer token's call (no browser renders it as a page); the
    same read by a web session still gets one, and both stay uncached and nosniff."""
    bearer = client.get(BALANCE, headers=_bearer(member.user))
    assert "Content-Security-Policy" not in bearer
    client.force_login(member.user)
    session = client.get(BALANCE)
    assert "frame-ancestors 'none'" in session["Content-Security-Policy"]
    for response in (bearer, session):
        assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"


def test_the_home_page_reads_the_same_overview_and_all_years_in_one_statement_each(many_kpjs, member):
    """overview_for_user (the web home page's read, by the session's user) is member_overview, and
    yearly_breakdowns of all KPJs is yearly_breakdown (the ORM's) of each."""
    from jaminanku.accounts.access import person_for
    from jaminanku.member.selectors import member_overview, yearly_breakdown
    from jaminanku.member.selectors_hot import overview_for_user, yearly_breakdowns

    for user in (many_kpjs, member.user):
        person = person_for(user)
        expected = member_overview(person)
        fresh = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            overview = overview_for_user(fresh)
        assert len(captured) == 1
        assert overview is not None and overview.person.pk == person.pk
        assert overview.person.full_name == person.full_name
        assert [k.membership.pk for k in overview.kpjs] == [k.membership.pk for k in expected.kpjs]
        for ours, theirs in zip(overview.kpjs, expected.kpjs, strict=True):
            assert (ours.balance, ours.employer_total, ours.worker_total, ours.development_total) == (
                theirs.balance,
                theirs.employer_total,
                theirs.worker_total,
                theirs.development_total,
            )
            assert (ours.claims_total, ours.last_period, ours.last_employer) == (
                theirs.claims_total,
                theirs.last_period,
                theirs.last_employer,
            )
            assert ours.status.status == theirs.status.status and ours.status.programs == theirs.status.programs
        memberships = [k.membership for k in expected.kpjs]
        with CaptureQueriesContext(connection) as captured:
            together = yearly_breakdowns(memberships)
        assert len(captured) == 1
        assert together == {m.pk: yearly_breakdown(m) for m in memberships}
        assert any(together.values())


def test_a_staff_login_has_no_home_overview(django_user_model):
    from jaminanku.member.selectors_hot import overview_for_user

    staff = django_user_model.objects.create_user("petugas-beranda", password=PASSWORD, is_staff=True)
    assert overview_for_user(staff) is None


@pytest.mark.postgres_only
def test_the_profile_and_person_are_index_probes_whatever_the_planner_estimates(member):
    """With a few member profiles whose statistics were of low person ids, PostgreSQL joined the person by a merge
    join walking the persons' primary key from its first row (25 ms at 1,000,000 persons). With the planner's
    nested loops discouraged, as wrong estimates would, the person must still be one probe by its key. Sequential
    scans are discouraged too, as a million rows would: on the test's few persons a scan of the table's one page
    for the member's row is the planner's right choice, and the test failed whenever the tables' statistics
    showed them small."""
    from jaminanku.member.selectors_hot import _sql

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + _sql(False), [member.user.pk])
        plan = [row[0] for row in cursor.fetchall()]
    person_scans = [i for i, line in enumerate(plan) if " on registry_person p" in line]
    assert person_scans, plan
    for i in person_scans:
        assert "Index Scan using registry_person_pkey" in plan[i], plan
        assert "Index Cond: (id = mp.person_id)" in plan[i + 1], plan


@pytest.mark.postgres_only
def test_the_profile_and_person_look_ups_form_only_the_columns_the_read_uses(member):
    """The LATERAL look-ups name their columns: `SELECT *` formed every column of the person's row (address,
    identity numbers and the rest) and of the profile's for each read, to use three of them."""
    from jaminanku.member.selectors_hot import _sql

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE) " + _sql(False), [member.user.pk])
        plan = [row[0].strip() for row in cursor.fetchall()]
    outputs = {
        table: plan[i + 1]
        for i, line in enumerate(plan)
        for table in ("registry_person p", "accounts_memberprofile mp")
        if f" on public.{table}" in line and plan[i + 1].startswith("Output:")
    }
    assert outputs["registry_person p"] == "Output: p.id, p.full_name, p.date_of_birth", plan
    assert outputs["accounts_memberprofile mp"] == "Output: mp.id, mp.person_id", plan


def test_a_bearer_read_does_not_use_the_cache(client, member, settings):
    """The database cache (the default without REDIS_URL) counts its rows and culls a third of them on every
    write past MAX_ENTRIES: a read that wrote the cache would stall now and then. The balance read neither
    writes nor reads it, with the token's last-used time written at most once a minute."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jaminanku_cache"},
    }
    headers = _bearer(member.user)
    with CaptureQueriesContext(connection) as first:
        assert client.get(BALANCE, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert client.get(BALANCE, headers=headers).status_code == 200
    assert len(first) == 2 and len(later) == 3  # the read (and the first time, the token's UPDATE)
    assert not [
        q for q in first.captured_queries + later.captured_queries if "jaminanku_cache" in (q["sql"] or "")
    ]  # None: psycopg ran it prepared


def test_the_balance_answers_in_the_language_asked_for_each_read(client, many_kpjs):
    """The status labels are translated once per language and kept: a read in English after one in Indonesian
    (and back) still gets its own language's labels."""
    headers = _bearer(many_kpjs)
    labels = {}
    for language in ("id", "en", "id"):
        body = client.get(BALANCE, headers={**headers, "Accept-Language": language}).json()
        labels.setdefault(language, set()).update(
            program["label"] for kpj in body["kpjs"] for program in kpj["status"]["programs"].values()
        )
    assert labels["id"] == {"Aktif", "Non-aktif", "Tidak terdaftar"}
    assert labels["en"] == {"Active", "Non-active", "Not enrolled"}


def _python_calls(action) -> int:
    calls = 0

    def count(frame, event, arg) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def test_the_hot_read_stays_within_its_python_budget(client, many_kpjs):
    """The payday read's cost is mostly Python (bench/README.md): its calls per read are held under a budget, so
    that a change which brings back per-read work (ninja's own validation and JSON encoding of the answer, a
    translation per label, a model instance per employment) fails here, not first on the benchmark machine."""
    headers = _bearer(many_kpjs)
    _read(client, headers)
    calls = _python_calls(lambda: client.get(BALANCE, headers=headers))
    assert calls < BUDGET, calls
