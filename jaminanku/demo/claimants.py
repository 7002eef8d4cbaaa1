"""The demo's online JHT claim, end to end: two members who resigned more than a month ago and may claim online,
one within the online threshold (decided by the system) and one above the four-eyes threshold (an officer, then a
supervisor), and the branch officer and supervisor who run the claim desk at the branch serving them.

The claimants are built, not searched for, so `make run` shows both whatever the population's size: a person
living where a branch serves, an employer, a PU membership, an employment ended by resignation two months back,
and its wage reports posted through the real import, so their balances are ledger lines like everyone's."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.claims.eligibility import ClaimOption
from jaminanku.claims.selectors import eligibility_for
from jaminanku.contributions.imports import WageLine, import_month
from jaminanku.contributions.periods import add_months
from jaminanku.demo.identity import DEMO_CLAIMANT_EMAIL, _store, _stored, demo_member_password
from jaminanku.demo.reports import paid_on_time
from jaminanku.offices.models import EmployerBranch, Office
from jaminanku.offices.selectors import serving_office
from jaminanku.registry.models import District, Employer, Employment, Membership, Person
from jaminanku.staff.models import StaffPost
from jaminanku.staff.roles import SUPERVISOR, sync_roles

BRANCH_OFFICER_ROLE = "Petugas cabang"
DEMO_NPP = "99000001"  # province 99 does not exist: no seeded employer has it


@dataclass(frozen=True)
class Claimant:
    key: str
    email: str
    phone: str
    full_name: str
    sex: str
    date_of_birth: date
    wage: int  # a month, for `months` months up to the resignation
    months: int
    kpj: str


CLAIMANTS = (
    # 24 × 5.7 % of Rp6,000,000 = Rp8,208,000: within the Rp15,000,000 online threshold
    Claimant(
        "within",
        "peserta.klaim.online@demo.jaminanku.id",
        "+6281299999998",
        "Rina Kartika Sari",
        "F",
        date(1991, 4, 12),
        6_000_000,
        24,
        "99900000001",
    ),
    # 24 × 5.7 % of Rp44,000,000 = Rp60,192,000: above the Rp50,000,000 four-eyes threshold (and taxed 5 %)
    Claimant(
        "above",
        "peserta.klaim.besar@demo.jaminanku.id",
        "+6281299999997",
        "Hendra Wijaya Kusuma",
        "M",
        date(1978, 9, 3),
        44_000_000,
        24,
        "99900000002",
    ),
)


@dataclass(frozen=True)
class StaffLogin:
    role: str  # "officer" or "supervisor"
    username: str
    email: str
    office: Office | None


STAFF = (
    ("officer", "petugas.cabang", "petugas.cabang@jaminanku.invalid"),
    ("supervisor", "supervisor", "supervisor@jaminanku.invalid"),
)


def claim_office() -> Office | None:
    """Where the demo claims go: the branch serving the member who may claim JHT (make_demo_claimant_account),
    so one officer sees every demo claimant; else the first active branch with a regency."""
    user = get_user_model().objects.filter(username=DEMO_CLAIMANT_EMAIL).select_related("member_profile").first()
    profile = getattr(user, "member_profile", None) if user is not None else None
    office = serving_office(profile.person) if profile is not None else None
    if office is not None and office.regency_id:
        return office
    return Office.objects.filter(active=True, kind=Office.Kind.BRANCH, regency__isnull=False).order_by("code").first()


def desk_office() -> Office | None:
    """The branch serving the built claimants, where the demo officer is posted (serving_office, as online claims
    are routed); before they are built, claim_office()."""
    person = Person.objects.filter(memberships__kpj=CLAIMANTS[0].kpj).select_related("district").first()
    return (serving_office(person) if person is not None else None) or claim_office()


def make_online_claimants(office: Office, *, today: date | None = None) -> int:
    """Builds the claimants missing from the database, living in `office`'s regency; how many were built."""
    today = today or timezone.localdate()
    made = 0
    for claimant in CLAIMANTS:
        if get_user_model().objects.filter(username=claimant.email).exists():
            continue
        with transaction.atomic():
            _build(claimant, office, today)
        made += 1
    return made


def _build(claimant: Claimant, office: Office, today: date) -> None:
    district = District.objects.filter(regency_id=office.regency_id).order_by("code").values_list("code", flat=True)[0]
    person = Person.objects.create(
        nik=_free_nik(district, claimant.date_of_birth, claimant.sex),
        full_name=claimant.full_name,
        date_of_birth=claimant.date_of_birth,
        sex=claimant.sex,
        place_of_birth=office.city or "Jakarta",
        mother_maiden_name="Sri Wahyuni",
        district_id=district,
    )
    # Resigned at the end of the month before last: the 1-month waiting period is over whatever today's day.
    last_month = add_months(today.replace(day=1), -2)
    first_month = add_months(last_month, 1 - claimant.months)
    end = add_months(last_month, 1) - timedelta(days=1)
    membership = Membership.objects.create(kpj=claimant.kpj, person=person, segment="PU", registered_on=first_month)
    Employment.objects.create(
        membership=membership, employer=_employer(office), start=first_month, end=end, end_reason="resignation"
    )
    lines: list[WageLine] = []
    period = first_month
    while period <= last_month:
        lines.append(
            WageLine(
                kpj=membership.kpj,
                nik=person.nik,
                name=person.full_name,
                wage=claimant.wage,
                npp=DEMO_NPP,
                period=period,
                row_number=len(lines) + 1,
            )
        )
        period = add_months(period, 1)
    import_month(period=first_month, through=last_month, lines=lines, paid_on=paid_on_time)
    create_account_for_demo(person=person, email=claimant.email, phone=claimant.phone, password=demo_member_password())


def _free_nik(district: str, born: date, sex: str) -> str:
    day = born.day + (40 if sex == "F" else 0)
    stem = f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}"
    taken = set(Person.objects.filter(nik__startswith=stem).values_list("nik", flat=True))
    return next(f"{stem}{serial:04d}" for serial in range(1, 10_000) if f"{stem}{serial:04d}" not in taken)


def _employer(office: Office) -> Employer:
    employer, created = Employer.objects.get_or_create(
        npp=DEMO_NPP, defaults={"name": "PT Demo Klaim Sejahtera", "risk_class": 1, "regency_id": office.regency_id}
    )
    if created:
        EmployerBranch.objects.create(employer=employer, office=office)
    return employer


def online_claimant_logins() -> list[dict[str, Any]]:
    """Each built claimant's login, KPJ and full-claim option (None once claimed), for `make run` to print."""
    found = []
    for claimant in CLAIMANTS:
        membership = Membership.objects.filter(kpj=claimant.kpj).select_related("person").first()
        if membership is None or not get_user_model().objects.filter(username=claimant.email).exists():
            continue
        option: ClaimOption | None = eligibility_for(membership).full
        found.append(
            {
                "key": claimant.key,
                "email": claimant.email,
                "password": demo_member_password(),
                "kpj": claimant.kpj,
                "option": option if option is not None and option.online else None,
            }
        )
    return found


def make_claim_staff(office: Office | None) -> list[tuple[StaffLogin, str]]:
    """A branch officer posted to `office` and a supervisor, both staff with the claim desk's roles; their
    passwords are kept with the other demo credentials (var/demo-credentials.json)."""
    sync_roles()  # the claim permissions exist only once the claims tables do, after the roles' migration
    user_model = get_user_model()
    made = []
    for role, username, email in STAFF:
        password = _password(f"{role}_password")
        user, _created = user_model.objects.get_or_create(username=username, defaults={"is_staff": True})
        if not user.check_password(password) or not user.email or not user.is_staff:
            user.set_password(password)
            user.is_staff = True
            user.email = user.email or email  # where the login's second-step code goes
            user.save()
        group = Group.objects.get(name=SUPERVISOR if role == "supervisor" else BRANCH_OFFICER_ROLE)
        user.groups.add(group)
        if role == "officer" and office is not None:
            StaffPost.objects.update_or_create(user=user, defaults={"office": office})
        made.append((StaffLogin(role, username, user.email, office if role == "officer" else None), password))
    return made


def _password(key: str) -> str:
    password = _stored().get(key)
    if not password:
        password = secrets.token_urlsafe(9)
        _store(**{key: password})
    return password
