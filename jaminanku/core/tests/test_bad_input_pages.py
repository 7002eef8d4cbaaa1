"""Bad input on every member-facing form: each field of each form gets each hostile value while the other fields
hold good answers. Every answer must be a clear 4xx or a safe 2xx/3xx (never a 500), an HTML answer must not
carry the script unescaped, and a form shown again must still hold what the member typed in the other fields.

The table (PAGES) is read from the URLconf and the views: one row per form, with a good answer for each field
and how the client gets to the page (logged in, a sign-up flow at the right step in its session)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import lxml.html
import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from jaminanku.accounts.models import MemberProfile, SignupFlow
from jaminanku.accounts.recovery.views import RESET_EMAIL_KEY
from jaminanku.accounts.signup.views import SESSION_KEY
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, make_worker, walk
from jaminanku.bookings.models import Service
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.bookings.tests.conftest import make_member as make_booking_member
from jaminanku.core.tests.hostile import HOSTILE_TEXT, SCRIPT
from jaminanku.offices.models import Office

Step = SignupFlow.Step

# Each hostile value a member (or a script) could type into a field. A list is the field sent twice.
BAD_VALUES: dict[str, str | list[str]] = {
    **HOSTILE_TEXT,
    "number for text": "12345",
    "text for number": "dua belas",
    "huge number": "9" * 40,
    "list": ["1", "2"],
}


# --- how the client gets to each page ------------------------------------------------------------------------
def anyone(client: Client) -> None:
    pass


def member(client: Client) -> None:
    person = make_booking_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    client.force_login(person.user)


def member_waiting_for(session_key: str, value: str) -> Callable[[Client], None]:
    def arrive(client: Client) -> None:
        member(client)
        session = client.session
        session[session_key] = value
        session.save()

    return arrive


def member_at_login_code(client: Client) -> None:
    """Past the password on a new device: the login's second step waits (accounts/twostep.py)."""
    make_booking_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    client.post("/masuk/", {"username": "dewi.lestari@example.com", "password": GOOD_PASSWORD})


def member_enrolling_an_app(client: Client) -> None:
    from jaminanku.accounts.login import totp

    member(client)
    totp.start_enrolment(user=MemberProfile.objects.get(email="dewi.lestari@example.com").user)


def signup_at(step: str, *, registered: bool = False) -> Callable[[Client], None]:
    """A sign-up flow at `step` in the client's session. `registered`: the identity already has an account, so
    the flow stops at "data sudah terdaftar"."""

    def arrive(client: Client) -> None:
        worker = make_worker(full_name="Siti Rahayu", date_of_birth=date(1992, 3, 14), sex="F", kpj="12345678901")
        if registered:
            from jaminanku.accounts.services import create_account_for_demo

            create_account_for_demo(
                person=worker.person, email="siti.lama@gmail.com", phone="+6281234567890", password="Lama-2019!x"
            )
        flow = walk(worker, until=step)
        assert flow.step == step
        session = client.session
        session[SESSION_KEY] = flow.pk
        session.save()

    return arrive


def booking_branch(client: Client) -> None:
    member(client)
    Office.objects.create(
        code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32", time_zone="Asia/Jakarta"
    )


def booked_visit(client: Client) -> None:
    """A booking with a known code, to be moved."""
    from jaminanku.accounts.models import MemberProfile
    from jaminanku.bookings import services

    booking_branch(client)
    office = Office.objects.get(code="KC3273")
    person = MemberProfile.objects.get(email="dewi.lestari@example.com").person
    booking = services.book_slot(person=person, office=office, day=first_free_day(office), hour=9)
    type(booking).objects.filter(pk=booking.pk).update(code="UBAH0001")


def the_members_kpj() -> str:
    from jaminanku.accounts.models import MemberProfile

    return MemberProfile.objects.get(email="dewi.lestari@example.com").person.memberships.get().kpj


def first_bookable_day() -> str:
    return first_free_day(Office.objects.get(code="KC3273")).isoformat()


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    method: str  # "get" or "post"
    good: dict[str, str | Callable[[], str]]  # a good answer for every field
    arrive: Callable[[Client], None] = anyone
    secret: frozenset[str] = frozenset()  # password fields: a browser never gets them back, on purpose
    not_typed: frozenset[str] = frozenset()  # parameters no one types (a page number, a position from the GPS)
    ordered: bool = False  # step-by-step form: a wrong answer keeps the earlier answers, later ones are asked anew
    fixed: dict[str, str] = field(default_factory=dict)  # sent as is, not fuzzed (which calculator)

    def answers(self) -> dict[str, str]:
        return {name: value() if callable(value) else value for name, value in self.good.items()}


PASSWORD = frozenset({"password"})
PAGES = [
    # sign-up, one question per screen (/daftar/...)
    Page("sign-up: email", "/daftar/", "post", {"email": "siti.rahayu@example.com"}),
    Page("sign-up: email code", "/daftar/kode-email/", "post", {"code": "123456"}, signup_at(Step.EMAIL_CODE)),
    Page("sign-up: segment", "/daftar/kepesertaan/", "post", {"segment": "PU"}, signup_at(Step.SEGMENT)),
    Page("sign-up: name", "/daftar/nama/", "post", {"full_name": "Siti Rahayu"}, signup_at(Step.NAME)),
    Page(
        "sign-up: birth date",
        "/daftar/tanggal-lahir/",
        "post",
        {"date_of_birth": "1992-03-14"},
        signup_at(Step.BIRTH_DATE),
    ),
    Page("sign-up: NIK", "/daftar/nik/", "post", {"nik": "3273015403920001"}, signup_at(Step.NIK)),
    Page("sign-up: KPJ", "/daftar/kpj/", "post", {"kpj": "12345678901"}, signup_at(Step.KPJ)),
    Page("sign-up: phone", "/daftar/nomor-hp/", "post", {"phone": "081298765432"}, signup_at(Step.PHONE)),
    Page("sign-up: SMS code", "/daftar/kode-sms/", "post", {"code": "123456"}, signup_at(Step.PHONE_CODE)),
    Page(
        "sign-up: password",
        "/daftar/kata-sandi/",
        "post",
        {"password": "Kopi-Tubruk-2024!"},
        signup_at(Step.PASSWORD),
        secret=PASSWORD,
    ),
    Page(
        "already registered: reset password by email code",
        "/daftar/sudah-terdaftar/atur-sandi/",
        "post",
        {"code": "123456", "password": "Kopi-Tubruk-2024!"},
        signup_at(Step.REGISTERED, registered=True),
        secret=PASSWORD,
    ),
    Page(
        "already registered: ask the agency to reset the account",
        "/reset-akun/ajukan/",
        "post",
        {"contact_email": "siti.rahayu@example.com", "contact_phone": "081298765432"},
        signup_at(Step.REGISTERED, registered=True),
    ),
    Page("account reset: status by tracking number", "/reset-akun/", "get", {"nomor": "RST-2026-000001"}),
    # login and forgotten password
    Page(
        "login",
        "/masuk/",
        "post",
        {"username": "dewi.lestari@example.com", "password": "salah-sandi-1"},
        secret=PASSWORD,
    ),
    Page(
        "login: second step",
        "/masuk/kode/",
        "post",
        {"code": "123456", "trust": "on"},
        member_at_login_code,
        not_typed=frozenset({"trust"}),  # a checkbox: it comes back checked, not as a typed value
    ),
    Page("forgot password", "/lupa-sandi/", "post", {"email": "dewi.lestari@example.com"}),
    Page(
        "forgot password: code and new password",
        "/lupa-sandi/kode/",
        "post",
        {"code": "123456", "password": "Kopi-Tubruk-2024!"},
        member_waiting_for(RESET_EMAIL_KEY, "dewi.lestari@example.com"),
        secret=PASSWORD,
    ),
    # the member's own account pages (/akun/...)
    Page(
        "account: new email",
        "/akun/email/",
        "post",
        {"email": "dewi.baru@example.com", "current_password": "Kopi-Tubruk-2024!"},
        member,
        secret=frozenset({"current_password"}),
    ),
    Page(
        "account: new email code",
        "/akun/email/kode/",
        "post",
        {"code": "123456"},
        member_waiting_for("pending_email", "dewi.baru@example.com"),
    ),
    Page(
        "account: new phone",
        "/akun/nomor-hp/",
        "post",
        {"phone": "081311112222", "current_password": "Kopi-Tubruk-2024!"},
        member,
        secret=frozenset({"current_password"}),
    ),
    Page(
        "account: new phone code",
        "/akun/nomor-hp/kode/",
        "post",
        {"code": "123456"},
        member_waiting_for("pending_phone", "+6281311112222"),
    ),
    Page(
        "account: new password",
        "/akun/kata-sandi/",
        "post",
        {"current_password": "Kopi-Tubruk-2024!", "password": "Teh-Manis-2025!"},
        member,
        secret=frozenset({"current_password", "password"}),
    ),
    Page(
        "account: authenticator app, first code",
        "/akun/autentikator/",
        "post",
        {"code": "123456"},
        member_enrolling_an_app,
    ),
    Page(
        "account: authenticator app off",
        "/akun/autentikator/matikan/",
        "post",
        {"current_password": "Kopi-Tubruk-2024!", "code": "123456"},
        member,
        secret=frozenset({"current_password"}),
    ),
    Page("account: end a session", "/akun/perangkat/akhiri/", "post", {"kind": "web", "id": "1"}, member),
    # public pages with a search or a calculator
    Page("offices: by city", "/kantor/", "get", {"kota": "Kota Bandung"}),
    Page(
        "offices: by location", "/kantor/", "get", {"lat": "-6.9", "lon": "107.6"}, not_typed=frozenset({"lat", "lon"})
    ),
    Page(
        "calculator: contributions",
        "/kalkulator/",
        "get",
        {"iuran-wage": "5000000", "iuran-risk_class": "2"},
        fixed={"hitung": "iuran"},
    ),
    Page(
        "calculator: JHT projection",
        "/kalkulator/",
        "get",
        {"jht-balance": "1000000", "jht-wage": "5000000", "jht-growth": "5", "jht-years": "10", "jht-rate": "6"},
        fixed={"hitung": "jht"},
    ),
    Page(
        "calculator: pension", "/kalkulator/", "get", {"jp-months": "180", "jp-wage": "5000000"}, fixed={"hitung": "jp"}
    ),
    Page("calculator: death benefit", "/kalkulator/", "get", {"jkm-wage": "5000000"}, fixed={"hitung": "jkm"}),
    Page("calculator: which one", "/kalkulator/", "get", {"hitung": "iuran"}),
    Page(
        "news: province filter", "/berita/", "get", {"provinsi": "32", "halaman": "1"}, not_typed=frozenset({"halaman"})
    ),
    # the branch queue
    Page(
        "queue: book a visit",
        "/antrian/baru/",
        "post",
        {
            "layanan": Service.JHT_CLAIM.value,
            "provinsi": "32",
            "kantor": "KC3273",
            "tanggal": first_bookable_day,
            "jam": "9",
        },
        booking_branch,
        ordered=True,
    ),
    Page(
        "queue: move a visit",
        "/antrian/UBAH0001/ubah/",
        "post",
        {"tanggal": first_bookable_day, "jam": "10"},
        booked_visit,
        ordered=True,
    ),
    # the JHT claim: which KPJ and which kind (the draft's uploads and account are checked in claims' own tests)
    Page("claim: start", "/klaim-jht/ajukan/", "post", {"kpj": the_members_kpj, "kind": "full"}, member),
]
CASES = [pytest.param(page, name, id=f"{page.name} / {name}") for page in PAGES for name in page.good]


# --- reading the answer --------------------------------------------------------------------------------------
def shown_value(doc: lxml.html.HtmlElement, name: str) -> str | None:
    """What the page's form control `name` holds now (None: the page has no such control)."""
    controls = doc.xpath("//*[@name=$name]", name=name)
    if not controls:
        return None
    first = controls[0]
    if first.tag == "select":
        chosen = first.xpath(".//option[@selected]/@value")
        return chosen[0] if chosen else ""
    if first.get("type") in ("radio", "checkbox"):
        return next((c.get("value") for c in controls if c.get("checked") is not None), "")
    if first.tag == "textarea":
        return first.text or ""
    return first.get("value", "")


def problems_with(page: Page, name: str, sent: dict, response) -> Iterator[str]:
    status = response.status_code
    if not 200 <= status < 500:
        yield f"answered {status}"
        return
    if "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    if SCRIPT in html:
        yield "the script came back unescaped"
    if status >= 300 and status < 400 or not html.strip():
        return
    doc = lxml.html.fromstring(html)
    if shown_value(doc, name) is None:
        return  # the form is not shown again (an answer page, a redirect target)
    if page.method == "post" and "errorlist" not in html:
        yield "the form came back without saying what is wrong"
    others = list(page.good)
    if page.ordered:
        others = others[: others.index(name)]
    for other in others:
        if other in (name, *page.secret, *page.not_typed):
            continue
        shown = shown_value(doc, other)
        if shown != sent[other]:
            yield f"{other!r} typed as {sent[other]!r} came back as {shown!r}"


@contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """Each hostile value meets the page as it was: the database, the session, the cookies and the rate-limit
    counters go back after each request."""
    cookies = copy.deepcopy(client.cookies)
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = cookies
        cache.clear()


@pytest.mark.parametrize(("page", "name"), CASES)
def test_hostile_value_in_a_field_gets_a_clear_answer_and_keeps_the_rest(db, client, page, name):
    page.arrive(client)
    good = page.answers()
    found: list[str] = []
    for label, bad in BAD_VALUES.items():
        sent = {**page.fixed, **good, name: bad}
        with rolled_back(client):
            try:
                response = getattr(client, page.method)(page.url, sent)
            except Exception as exc:  # a 500 in production: the test client re-raises what the view raised
                found.append(f"{label}: raised {exc.__class__.__name__}: {exc}"[:300])
                continue
            found += [f"{label}: {problem}" for problem in problems_with(page, name, sent, response)]
    assert not found, f"{page.name}, field {name!r}:\n" + "\n".join(found)


def test_every_member_form_of_the_urlconf_is_in_the_table():
    """A new form page must join the table: every path of the accounts, member and news URLs that takes input
    is listed here, or named as taking none."""
    from django.urls import get_resolver

    takes_no_input = {
        *("", "kartu/", "kartu/kunci-publik.pem", "sw.js", "manifest.webmanifest", "berita/feed.atom"),
        *("antrian/", "akun/", "program/", "keluar/"),
        *("akun/perangkat/", "akun/perangkat/akhiri-lainnya/"),  # a list, and one button
        "akun/data-saya.json",  # a download of the member's own data, no field
        "daftar/sudah-terdaftar/",  # three buttons, no field
        "klaim-jht/",  # the member's claims, a list
    }
    covered = {page.url.strip("/") + "/" if page.url != "/" else "" for page in PAGES}
    missing = []
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern)
        if route.startswith(("admin/", "api/", "i18n/", "staf/")) or not hasattr(pattern, "url_patterns"):
            continue
        for inner in pattern.url_patterns:
            full = route + str(inner.pattern)
            if full.startswith("staf/"):
                continue  # the counter's queue (bookings' URLs), a staff page like the rest of /staf/
            if "<" in full or getattr(inner, "url_patterns", None) is not None:
                continue  # one booking, article or card; of these only /antrian/<code>/ubah/ takes input, in the table
            if full not in covered and full not in takes_no_input:
                missing.append(full)
    assert not missing, missing
