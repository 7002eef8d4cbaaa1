"""`make run`'s prepare_demo: the back-office login it prints works, second step included (the demo staff user
has an address for the login code), and so do the member logins it prints: one in work, one who may claim JHT, two
who may claim it online (within the online threshold, and above the four-eyes one, with the gross printed), and
the claim desk's branch officer (posted where those claims go) and supervisor."""

import re
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.claims import online
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.tests.online_helpers import Claimant, claim_files, ready_draft  # noqa: F401 - a fixture
from jaminanku.demo.identity import DEMO_CLAIMANT_EMAIL
from jaminanku.offices.selectors import serving_office
from jaminanku.staff.roles import SUPERVISOR, branch_of

pytestmark = pytest.mark.django_db


def test_the_printed_staff_login_reaches_the_back_office_through_the_second_step(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=20, stdout=out)
    printed = out.getvalue()
    username = printed.split("username: ")[1].split()[0]
    password = printed.split("password: ")[1].split()[0]
    first = client.post("/admin/login/", {"username": username, "password": password})
    assert first.status_code == 302 and first["Location"].startswith("/masuk/kode/"), first
    staff = User.objects.get(username=username)
    done = client.post(first["Location"], {"code": code_sent_to(staff.email)})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def _login_under(printed: str, heading: str) -> tuple[str, str, str]:
    """The heading line that starts with `heading`, and the email and password printed on the line below it."""
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    email, password = re.fullmatch(r"\s*email: (\S+)\s+password: (\S+)\s*", lines[at + 1]).groups()
    return lines[at], email, password


def _log_in(client, email: str, password: str) -> None:
    """The member login as a browser new to it goes through it: password, then the code sent by email."""
    first = client.post("/masuk/", {"username": email, "password": password})
    assert first.status_code == 302 and first["Location"] == "/masuk/kode/", first
    done = client.post("/masuk/kode/", {"code": code_sent_to(email)})
    assert done.status_code == 302, done


def test_make_run_prints_an_active_member_and_one_who_may_claim_jht_and_both_log_in(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=60, stdout=out)
    printed = out.getvalue()

    _, email, password = _login_under(printed, "Active member")
    person = User.objects.get(username=email).member_profile.person
    assert person.memberships.filter(employments__end__isnull=True).exists()  # in work now
    _log_in(client, email, password)
    assert client.get("/").status_code == 200
    client.logout()

    heading, email, password = _login_under(printed, "Member who may claim JHT now")
    kpj = re.search(r"KPJ (\d{11})", heading).group(1)
    person = User.objects.get(username=email).member_profile.person
    membership = person.memberships.get(kpj=kpj)
    assert eligibility_for(membership).can_claim
    _log_in(client, email, password)
    booking = client.get("/antrian/baru/", {"layanan": "jht_claim"})
    assert booking.status_code == 200
    assert 'class="card ineligible"' not in booking.content.decode()  # the booking goes on to the branch
    assert "Anda belum dapat memesan antrian klaim JHT" not in booking.content.decode()


def test_a_database_seeded_before_gets_its_claimant_on_the_next_make_run(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("prepare_demo", persons=60, stdout=StringIO())
    User.objects.filter(username=DEMO_CLAIMANT_EMAIL).delete()  # as a demo database from before the claimant
    out = StringIO()
    call_command("prepare_demo", persons=60, stdout=out)
    assert f"email: {DEMO_CLAIMANT_EMAIL}" in out.getvalue()


def _claimant_under(printed: str, heading: str) -> tuple[str, str, int]:
    """The email and password printed below `heading`, and the gross on the line after them."""
    _, email, password = _login_under(printed, heading)
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    gross = re.search(r"gross Rp ([\d.]+)", lines[at + 2]).group(1)
    return email, password, int(gross.replace(".", ""))


def test_make_run_prints_online_claimants_within_and_above_the_threshold_and_the_claim_staff(
    client, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=20, stdout=out)
    printed = out.getvalue()

    within = _claimant_under(printed, "Member who may claim JHT online, within")
    above = _claimant_under(printed, "Member who may claim JHT online, above")
    assert within[2] <= settings.CLAIMS_ONLINE_THRESHOLD < settings.CLAIMS_FOUR_EYES_THRESHOLD < above[2]
    office = None
    for email, password, gross in (within, above):
        person = User.objects.get(username=email).member_profile.person
        (membership,) = person.memberships.all()
        answer = eligibility_for(membership)
        assert answer.full.gross == gross and answer.full.online and answer.full.ground == "resignation"
        employment = membership.employments.get()
        assert employment.end_reason == "resignation"
        assert employment.end < timezone.localdate() - relativedelta(months=1)  # the waiting month is over
        office = serving_office(person)
        _log_in(client, email, password)
        assert client.get(f"/klaim/{membership.kpj}/").status_code == 200
        client.logout()

    username, password = _username_under(printed, "Branch officer")
    officer = User.objects.get(username=username)
    assert officer.is_staff and branch_of(officer) == office.pk and officer.has_perm("claims.change_jhtclaim")
    assert f"Branch officer at {office.name}" in printed
    first = client.post("/admin/login/", {"username": username, "password": password})
    assert client.post(first["Location"], {"code": code_sent_to(officer.email)}).status_code == 302
    assert client.get("/staf/").status_code == 200
    supervisor = User.objects.get(username=_username_under(printed, "Supervisor")[0])
    assert supervisor.is_staff and supervisor.groups.filter(name=SUPERVISOR).exists()

    call_command("reconcile_ledger", stdout=out)
    assert "cocok" in out.getvalue()


def _username_under(printed: str, heading: str) -> tuple[str, str]:
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    return re.fullmatch(r"\s*username: (\S+)\s+password: (\S+)\s*", lines[at + 1]).groups()


@pytest.mark.usefixtures("claim_files")
def test_the_printed_online_claimants_claim_online_one_decided_at_once_one_for_the_printed_officer(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=20, stdout=out)
    printed = out.getvalue()
    officer = User.objects.get(username=_username_under(printed, "Branch officer")[0])
    states = {}
    for heading in ("Member who may claim JHT online, within", "Member who may claim JHT online, above"):
        email, _password, gross = _claimant_under(printed, heading)
        person = User.objects.get(username=email).member_profile.person
        who = Claimant(person, person.memberships.get(), User.objects.get(username=email), email, "")
        claim = online.submit_claim(claim=ready_draft(who), declaration=True)
        assert claim.gross == gross and claim.office_id == officer.staff_post.office_id
        states[heading.split(", ")[1]] = (claim.state, claim.auto_decision["approved"])
    assert states == {"within": ("approved", True), "above": ("in_review", False)}
