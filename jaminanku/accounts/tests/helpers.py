"""Test helpers: registry persons from the registry's factories, codes read back from the outbox, a walk
through the sign-up services up to a chosen step, and logins through the two steps (the code read from the
outbox) or from a device the login's second step already trusts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from jaminanku.accounts.login import devices
from jaminanku.accounts.models import SignupFlow
from jaminanku.accounts.signup import flow as signup
from jaminanku.notify.models import OutboundMessage
from jaminanku.registry.models import Membership, Person
from jaminanku.registry.tests.factories import MembershipFactory, PersonFactory, nik_for

Step = SignupFlow.Step
GOOD_PASSWORD = "Kopi-Tubruk-2024!"


@dataclass
class Worker:
    person: Person
    membership: Membership

    @property
    def answers(self) -> dict[str, object]:
        return {
            "segment": self.membership.segment,
            "full_name": self.person.full_name,
            "date_of_birth": self.person.date_of_birth,
            "nik": self.person.nik,
            "kpj": self.membership.kpj,
        }


_serial = iter(range(9000, 9999))


def make_worker(*, full_name: str, date_of_birth: date, sex: str, kpj: str, segment: str = "PU") -> Worker:
    person = PersonFactory(
        full_name=full_name, date_of_birth=date_of_birth, sex=sex, nik=nik_for(date_of_birth, sex, next(_serial))
    )
    return Worker(person, MembershipFactory(person=person, kpj=kpj, segment=segment))


def code_sent_to(destination: str) -> str:
    """The code in the latest message to `destination`, read from the outbox as a member reads their inbox."""
    message = OutboundMessage.objects.filter(to=destination).order_by("-created_at", "-id").first()
    assert message is not None, f"nothing was sent to {destination}"
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def later(now: datetime | None, seconds: int) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=seconds)


def walk(
    worker: Worker,
    *,
    email: str = "siti.rahayu@example.com",
    phone: str = "081298765432",
    until: str = Step.DONE,
    password: str = GOOD_PASSWORD,
    now: datetime | None = None,
) -> SignupFlow:
    """Walks the sign-up through the services, stopping when the flow reaches `until`."""
    now = now or timezone.now()
    flow = signup.start_signup(email=email, now=now, client_ip=None)
    a = worker.answers
    steps = [
        (Step.EMAIL_CODE, lambda f: signup.verify_email_code(flow=f, code=code_sent_to(f.email), now=now)),
        (Step.SEGMENT, lambda f: signup.choose_segment(flow=f, segment=a["segment"], now=now)),
        (Step.NAME, lambda f: signup.give_name(flow=f, full_name=a["full_name"], now=now)),
        (Step.BIRTH_DATE, lambda f: signup.give_birth_date(flow=f, date_of_birth=a["date_of_birth"], now=now)),
        (Step.NIK, lambda f: signup.give_nik(flow=f, nik=a["nik"], now=now)),
        (Step.KPJ, lambda f: signup.give_kpj(flow=f, kpj=a["kpj"], now=now)),
        (Step.PHONE, lambda f: signup.give_phone(flow=f, phone=phone, now=now, client_ip=None)),
        (Step.PHONE_CODE, lambda f: signup.verify_phone_code(flow=f, code=code_sent_to(f.phone), now=now)),
        (Step.PASSWORD, lambda f: signup.set_password(flow=f, password=password, now=now)),
    ]
    for step, act in steps:
        if flow.step == until or flow.step != step:
            break
        flow = act(flow)
    return flow


# --- logging in --------------------------------------------------------------------------------------------------
def login_with_code(client: Client, email: str, password: str, *, trust: bool = False, **extra: object):
    """The web login's two steps as a member does them: email and password, then the code from their inbox.
    Returns the answer to the code step (a redirect when it worked)."""
    first = client.post("/masuk/", {"username": email, "password": password}, **extra)
    assert first.status_code == 302 and first["Location"] == "/masuk/kode/", first
    form = {"code": code_sent_to(email.strip().lower())}
    if trust:
        form["trust"] = "on"
    return client.post("/masuk/kode/", form, **extra)


def trust_browser(client: Client, email: str) -> str:
    """Gives `client` the cookie of a device that already passed the second step (made by the service), so
    logins from it take the password alone. Returns the device token."""
    user = User.objects.get(username=email.strip().lower())
    raw = devices.trust_device(user=user, device="test browser").raw
    client.cookies[devices.cookie_name()] = devices.signed_cookie_value(raw)
    return raw


def login_trusted(client: Client, email: str, password: str, **extra: object):
    """The web login from a trusted device: one step. Returns the answer to the password step."""
    trust_browser(client, email)
    return client.post("/masuk/", {"username": email, "password": password}, **extra)


def api_login(client: Client, email: str, password: str) -> dict:
    """The API login from an app that holds a trusted-device token: one call, a bearer token back."""
    user = User.objects.get(username=email.strip().lower())
    device_token = devices.trust_device(user=user, device="test app").raw
    response = client.post(
        "/api/v1/accounts/login",
        json.dumps({"email": email, "password": password, "device_token": device_token}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def browser_second_step(page, email: str) -> None:
    """In a real browser, after the password step: types the code from the member's inbox (Playwright)."""
    import re as _re

    from playwright.sync_api import expect

    expect(page).to_have_url(_re.compile(r"/masuk/kode/$"))
    page.get_by_label("Kode verifikasi (6 angka)").fill(code_sent_to(email))
    page.get_by_role("button", name="VERIFIKASI").click()
