"""Demo logins and a demo identity for trying the sign-up; printed by `make run`."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from jaminanku.registry.models import Employment, Membership, Person

DEMO_EMAIL = "peserta{n}@demo.jaminanku.id"


def _credentials_path() -> Any:
    return settings.VAR_DIR / "demo-credentials.json"


def _stored() -> dict[str, str]:
    path = _credentials_path()
    return json.loads(path.read_text()) if path.exists() else {}


def _store(**values: str) -> None:
    data = _stored() | values
    path = _credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    path.chmod(0o600)


def demo_member_password() -> str:
    password = _stored().get("member_password")
    if not password:
        password = "Demo-" + secrets.token_urlsafe(9)
        _store(member_password=password)
    return password


def _active_pu_persons() -> Any:
    open_job = Employment.objects.filter(membership__person=OuterRef("pk"), end__isnull=True)
    return Person.objects.filter(Exists(open_job)).order_by("pk")


def _has_account(person: Person) -> bool:
    return hasattr(person, "member_profile") and person.member_profile is not None


def make_demo_accounts(count: int) -> int:
    """Gives the first `count` persons in work an account, through the same service the sign-up ends with."""
    try:
        from jaminanku.accounts.services import create_account_for_demo
    except ImportError:  # the accounts app is not there yet
        return 0

    password = demo_member_password()
    made = 0
    for n, person in enumerate(_active_pu_persons()[:count], start=1):
        create_account_for_demo(
            person=person, email=DEMO_EMAIL.format(n=n), phone=f"+62812{90000000 + n:08d}", password=password
        )
        made += 1
    return made


def demo_member_login() -> dict[str, str] | None:
    from django.contrib.auth import get_user_model

    email = DEMO_EMAIL.format(n=1)
    if not get_user_model().objects.filter(username=email).exists():
        return None
    return {"email": email, "password": demo_member_password()}


def demo_signup_identity() -> dict[str, str] | None:
    """A registered PU worker with no account yet, so a newcomer can walk the sign-up."""
    people = _active_pu_persons()
    if any(f.name == "member_profile" for f in Person._meta.get_fields()):
        people = people.filter(member_profile__isnull=True)
    person = people[200:201].first() or people.first()
    if person is None:
        return None
    membership = (
        Membership.objects.filter(person=person, employments__end__isnull=True).order_by("-registered_on").first()
    )
    assert membership is not None
    return {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
        "nik": person.nik,
        "kpj": membership.kpj,
        "segment": membership.segment,
    }
