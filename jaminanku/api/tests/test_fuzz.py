"""Every operation of /api/v1/openapi.json fuzzed by schemathesis through the WSGI app, in-process, anonymous and
as a member with a bearer token: no answer is a server error, and every answer is one the schema documents
(status, content type, body). JAMINANKU_FUZZ_EXAMPLES sets how many cases per operation (`make test-slow`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from itertools import count

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.signup.flow import start_signup
from jaminanku.contributions.tests.helpers import month
from jaminanku.member.tests.conftest import Member, make_member
from jaminanku.wsgi import application

EXAMPLES = int(os.environ.get("JAMINANKU_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a login hashes with Argon2, a PDF takes a moment: speed is not what this test is about
    database=None,  # no example database to keep: each run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client keeps the test's database connection across requests; schemathesis calls the WSGI
    app itself, whose request_finished would close the connection inside the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def member(db) -> Member:
    return make_member(start=date(2025, 1, 1), months=[month(2025, 1), month(2025, 2)])


def use_real(case, name: str, value: Callable[[], str]) -> None:
    """Puts a path parameter that exists in place of the generated one, so the answers past the lookup are fuzzed
    too (a random flow id or KPJ only ever meets a 404)."""
    if name in (case.path_parameters or {}):
        case.path_parameters[name] = value()


_emails = count()


@pytest.mark.django_db
@schema.parametrize()
@schema.given(real_flow=st.booleans())
@fuzz_settings
def test_anonymous_client_gets_no_server_error_and_only_documented_answers(case, real_flow):
    if real_flow:
        use_real(case, "flow_id", lambda: start_signup(email=f"fuzz{next(_emails)}@contoh.id", client_ip=None).pk)
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@schema.given(own_kpj=st.booleans())
@fuzz_settings
def test_member_with_a_token_gets_no_server_error_and_only_documented_answers(case, own_kpj, member):
    if own_kpj:
        use_real(case, "kpj", lambda: member.kpj)
    # a fresh token each case: logout and a password change end the earlier ones, by design
    token = issue_api_token(user=member.user, label="fuzz")
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
