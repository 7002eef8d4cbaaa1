"""Bad input on every field of the API: each body field, query and path parameter that the OpenAPI schema lists
gets each hostile value (and each wrong JSON type) while the others hold good answers, as a member with a bearer
token. Every answer must be a clear JSON 4xx that the operation documents, or a 2xx; never a 500.

The fields are read from /api/v1/openapi.json, so a new operation is fuzzed without touching this file, as long
as GOOD has an answer for its fields (a test below says which are missing)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.db import transaction
from django.test import Client

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.tests.helpers import code_sent_to, make_worker, walk
from jaminanku.api.urls import api
from jaminanku.bookings import services as bookings
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.bookings.tests.conftest import make_member as make_booking_member
from jaminanku.core.tests.hostile import HOSTILE_TEXT
from jaminanku.offices.models import Office

Step = SignupFlow.Step
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")

BAD_VALUES: dict[str, Any] = {
    **HOSTILE_TEXT,
    "number": 12345,
    "huge number": 10**40,
    "list": ["a", "b"],
    "object": {"a": 1},
    "null": None,
    "true": True,
}

# A good answer for each field name the API takes.
GOOD: dict[str, Any] = {
    "email": "siti.rahayu@example.com",
    "code": "123456",
    "segment": "PU",
    "full_name": "Siti Rahayu",
    "date_of_birth": "1992-03-14",
    "nik": "3273015403920001",
    "kpj": "12345678901",
    "phone": "081298765432",
    "password": "Kopi-Tubruk-2024!",
    "current_password": "Kopi-Tubruk-2024!",
    "contact_email": "siti.rahayu@example.com",
    "contact_phone": "081298765432",
    "service": "jht_claim",
    "office": "KC3273",
    "day": lambda: first_free_day(Office.objects.get(code="KC3273")).isoformat(),
    "hour": 10,
    # query parameters
    "lat": -6.9,
    "lon": 107.6,
    "q": "Kota Bandung",
    "limit": 5,
    "region": "32",
    "language": "id",
    "page": 1,
    "page_size": 10,
    "year": 2025,
    # the login's second step (accounts/twostep.py)
    "device_token": "jkd_not-a-trusted-device",
    "challenge": "not-a-challenge",
    "method": "sms",
    "trust_device": True,
    # the member's JHT claims (claims/api.py)
    "kind": "full",
    "declaration": True,
    "bank_code": "002",
    "account_number": "1234567890",
    "account_holder": "Dewi Lestari",
}

# The step a sign-up flow must be at for each step's operation, so the field reaches the rule that checks it.
FLOW_STEP = {
    "email": Step.EMAIL,
    "email/verify": Step.EMAIL_CODE,
    "segment": Step.SEGMENT,
    "name": Step.NAME,
    "birth-date": Step.BIRTH_DATE,
    "nik": Step.NIK,
    "kpj": Step.KPJ,
    "phone": Step.PHONE,
    "phone/verify": Step.PHONE_CODE,
    "password": Step.PASSWORD,
    "registered/password-reset/confirm": Step.REGISTERED,
    "registered/account-reset": Step.REGISTERED,
    "registered/recovery/verify": Step.RECOVERY_CODE,
    "registered/recovery/password": Step.RECOVERY_PASSWORD,
}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = SCHEMA["components"]["schemas"][name]
    return schema


def input_fields() -> Iterator[tuple[str, str, str, str]]:
    """(method, path, where, name) of every body field, query and path parameter in the schema."""
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("query", "path"):
                    yield method, path, parameter["in"], parameter["name"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for name in _resolve(body["schema"]).get("properties", {}):
                    yield method, path, "body", name


FIELDS = list(input_fields())


# --- the world each operation needs --------------------------------------------------------------------------
def flow_at(step: str) -> str:
    registered = step in (Step.REGISTERED, Step.RECOVERY_CODE, Step.RECOVERY_PASSWORD)
    worker = make_worker(full_name="Siti Rahayu", date_of_birth=date(1992, 3, 14), sex="F", kpj="12345678901")
    if registered:
        create_account_for_demo(
            person=worker.person, email="siti.lama@gmail.com", phone="+6281234567890", password="Lama-2019!x"
        )
    if step == Step.EMAIL:  # step 1 again, after going back from the email code
        return signup.go_back(flow=walk(worker, until=Step.EMAIL_CODE)).pk
    flow = walk(worker, until=Step.REGISTERED if registered else step)
    if step in (Step.RECOVERY_CODE, Step.RECOVERY_PASSWORD):
        flow = recovery.start_phone_recovery(flow=flow, client_ip=None)
    if step == Step.RECOVERY_PASSWORD:
        flow = recovery.verify_recovery_code(flow=flow, code=code_sent_to("+6281234567890"))
    assert flow.step == step, (flow.step, step)
    return flow.pk


def url_for(path: str) -> str:
    """The path with real identifiers: the member's KPJ and booking, a flow at the step the operation needs."""
    if "{flow_id}" in path:
        action = path.split("{flow_id}/", 1)[1] if "{flow_id}/" in path else ""
        path = path.replace("{flow_id}", flow_at(FLOW_STEP.get(action, Step.EMAIL_CODE)))
    person = MemberProfile.objects.get(email="dewi.lestari@example.com").person
    return path.replace("{kpj}", person.memberships.get().kpj).replace("{code}", "UBAH0001")


@pytest.fixture
def member_client(db) -> Client:
    """A member with a booking to move, at a branch that takes bookings; a client with the member's token."""
    member = make_booking_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    office = Office.objects.create(
        code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32", time_zone="Asia/Jakarta"
    )
    booking = bookings.book_slot(person=member.person, office=office, day=first_free_day(office), hour=9)
    type(booking).objects.filter(pk=booking.pk).update(code="UBAH0001")
    token = issue_api_token(user=member.user, label="bad input")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each hostile value meets the same flow, member and booking: the database and the rate-limit counters go
    back after each request."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        cache.clear()


def good(name: str) -> Any:
    value = GOOD[name]
    return value() if isinstance(value, Callable) else value  # type: ignore[arg-type]


HERE = "BAD-VALUE-HERE"  # where the hostile value goes in a path


def body_fields(operation: dict[str, Any]) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return list(_resolve(body["schema"])["properties"]) if body else []


def query_fields(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


def send(client: Client, method: str, url: str, operation: dict[str, Any], where: str, name: str, bad: Any):
    if where == "path":  # the hostile value in place of the identifier; good answers everywhere else
        text = bad if isinstance(bad, str) else json.dumps(bad)
        url = url.replace(HERE, quote(text, safe="") or "%20")
    query = {field: good(field) for field in query_fields(operation)}
    body = {field: good(field) for field in body_fields(operation)}
    if where == "query":
        query[name] = json.dumps(bad) if isinstance(bad, list | dict) or bad is None else bad
    elif where == "body":
        body[name] = bad
    if method == "get":
        return client.get(url, query)
    call = getattr(client, method)  # post, put, delete
    return call(f"{url}?{urlencode(query)}" if query else url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path", "where", "name"), FIELDS, ids=[f"{m.upper()} {p} {w} {n}" for m, p, w, n in FIELDS]
)
def test_hostile_value_in_a_json_field_gets_a_documented_client_error(member_client, method, path, where, name):
    operation = SCHEMA["paths"][path][method]
    documented = {int(status) for status in operation["responses"]}
    url = url_for(path.replace("{" + name + "}", HERE) if where == "path" else path)
    found: list[str] = []
    for label, bad in BAD_VALUES.items():
        with rolled_back():
            try:
                response = send(member_client, method, url, operation, where, name, bad)
            except Exception as exc:  # a 500 in production: the test client re-raises what the view raised
                found.append(f"{label}: raised {exc.__class__.__name__}: {exc}"[:300])
                continue
            status = response.status_code
            if not 200 <= status < 500:
                found.append(f"{label}: answered {status}")
            elif where == "path" and "application/json" not in response.get("Content-Type", ""):
                continue  # a path no operation matches: Django's own 404 page, before the API
            elif status not in documented:
                found.append(f"{label}: answered {status}, which the schema does not list ({sorted(documented)})")
            elif status >= 400:
                body = response.json()
                if not (isinstance(body.get("code"), str) and isinstance(body.get("message"), str)):
                    found.append(f"{label}: the error is not the API's error shape: {body}"[:300])
    assert not found, f"{method.upper()} {path}, {where} field {name!r}:\n" + "\n".join(found)


def test_every_field_of_the_api_has_a_good_answer_in_the_table():
    assert not {name for _m, _p, where, name in FIELDS if where != "path"} - set(GOOD)


def test_a_hostile_flow_id_makes_no_cache_key_the_shared_cache_would_refuse(db):
    """The identity step counts failures per flow id, taken from the URL: an oversize or odd id must not become a
    cache key longer than the database cache holds (255 characters) or one memcached-style caches refuse."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for flow_id in ("x" * 10_000, " \t\u00a0 ", "👩🏽‍💻"):
            response = Client().post(
                f"/api/v1/signup/{quote(flow_id, safe='')}/kpj", {"kpj": "12345678901"}, content_type="application/json"
            )
            assert response.status_code == 404
