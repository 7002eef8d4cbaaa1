"""Demo logins and a demo identity for trying the sign-up; printed by `make run`."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.claims.eligibility import Eligibility
from jaminanku.claims.selectors import eligibility_for
from jaminanku.registry.models import Employment, Membership, Person

DEMO_EMAIL = "peserta{n}@demo.jaminanku.id"
DEMO_CLAIMANT_EMAIL = "peserta.klaim@demo.jaminanku.id"
DEMO_CLAIMANT_PHONE = "+6281299999999"  # the active accounts take +62812 9000 0001 upwards
# how many persons out of work the claimant search looks at before settling for a partial claim or nobody
CLAIMANT_CANDIDATES = 200


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


def make_demo_accounts(count: int) -> int:
    """Gives the first `count` persons in work an account, through the same service the sign-up ends with, and
    one more to a person who may claim JHT (make_demo_claimant_account)."""
    password = demo_member_password()
    made = 0
    for n, person in enumerate(_active_pu_persons()[:count], start=1):
        create_account_for_demo(
            person=person, email=DEMO_EMAIL.format(n=n), phone=f"+62812{90000000 + n:08d}", password=password
        )
        made += 1
    if count > 0 and make_demo_claimant_account():
        made += 1
    return made


def _claimable_kpj(person: Person) -> tuple[str, Eligibility] | None:
    """The person's first KPJ whose JHT may be claimed now, preferring a full claim to a partial one."""
    answers = [(m.kpj, eligibility_for(m)) for m in person.memberships.select_related("person").order_by("kpj")]
    claimable = [(kpj, answer) for kpj, answer in answers if answer.can_claim]
    return next((pair for pair in claimable if pair[1].full), claimable[0] if claimable else None)


def make_demo_claimant_account() -> bool:
    """Gives an account to a person who may claim JHT now, so a newcomer can try the claim and its booking at a
    branch: the first person out of work (no open job) with a full claim open, else the first with any claim open.
    False when that account exists already or nobody in the population may claim."""
    if get_user_model().objects.filter(username=DEMO_CLAIMANT_EMAIL).exists():
        return False
    open_job = Employment.objects.filter(membership__person=OuterRef("pk"), end__isnull=True)
    out_of_work = (
        Person.objects.filter(~Exists(open_job), member_profile__isnull=True, memberships__jht_account__balance__gt=0)
        .distinct()
        .order_by("pk")
    )
    fallback: Person | None = None
    for person in out_of_work[:CLAIMANT_CANDIDATES]:
        found = _claimable_kpj(person)
        if found is not None and found[1].full:
            fallback = person
            break
        if found is not None and fallback is None:
            fallback = person
    if fallback is None:
        return False
    create_account_for_demo(
        person=fallback, email=DEMO_CLAIMANT_EMAIL, phone=DEMO_CLAIMANT_PHONE, password=demo_member_password()
    )
    return True


def demo_member_login() -> dict[str, str] | None:
    """The login of the first demo member in work (contributions paid by an employer)."""
    email = DEMO_EMAIL.format(n=1)
    if not get_user_model().objects.filter(username=email).exists():
        return None
    return {"email": email, "password": demo_member_password()}


def demo_claimant_login() -> dict[str, str] | None:
    """The login of the demo member who may claim JHT now, with the KPJ to claim on and what may be claimed
    ("full", or "partial" for 10 % or 30 %)."""
    user = get_user_model().objects.filter(username=DEMO_CLAIMANT_EMAIL).select_related("member_profile").first()
    profile = getattr(user, "member_profile", None) if user is not None else None
    found = _claimable_kpj(profile.person) if profile is not None else None
    if found is None:  # the database was seeded long ago and the claim is no longer open, or has been paid
        return None
    kpj, answer = found
    return {
        "email": DEMO_CLAIMANT_EMAIL,
        "password": demo_member_password(),
        "kpj": kpj,
        "claim": "full" if answer.full else "partial",
    }


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
