"""Failover with nothing lost (issue 27): members keep booking and cancelling queue places over the API while the
primary is killed (pg_ctl stop -m immediate) and the synchronous standby promoted (pg_ctl promote). The app is served
as in production, by a WSGI server that keeps its connection (CONN_MAX_AGE, CONN_HEALTH_CHECKS), and connects through
the libpq multi-host string of scripts/with-postgres-replicas (both sockets, target_session_attrs=read-write): it
finds the promoted server by itself. Requests during the switch are answered 503 with Retry-After, never 500; the
client retries them as a member's app would; afterwards every answered booking and cancellation is in the promoted
database, and none twice. The old primary then comes back as the new primary's synchronous standby, as Patroni
would rebuild it, so the other replica tests still find a standby."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import InterfaceError, OperationalError, connection, connections
from django.db.models import Count, Q

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.bookings.calendar import SLOT_HOURS
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.tests.conftest import first_free_day, make_member
from jaminanku.contributions.imports import import_month
from jaminanku.contributions.models import Contribution
from jaminanku.contributions.periods import add_months
from jaminanku.contributions.tests.helpers import employer, line, pu_member
from jaminanku.core.errors import DomainError
from jaminanku.core.testing import ServedApp
from jaminanku.core.tests.replicas import REPLICA_TESTS, pg_ctl, require_replica, standby_caught_up
from jaminanku.offices.models import Office
from jaminanku.registry.tests.factories import EmploymentFactory, PersonFactory

pytestmark = REPLICA_TESTS
OPERATIONS = 80
KILL_AFTER = 30
FIRST_PERIOD = date(2019, 1, 1)
SIGNUPS = 60  # a bound only, as MAX_PERIODS
MAX_PERIODS = 84  # a bound only: the postings stop once the bookings are done and they met the switch


class App(ServedApp):
    """The app served over HTTP (core.testing.ServedApp), called with a member's bearer token."""

    def call(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict, str]:
        request = urllib.request.Request(  # noqa: S310 - our own local server
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null"), ""
        except urllib.error.HTTPError as exc:
            content = exc.read()
            retry_after = exc.headers.get("Retry-After", "")
            try:
                return exc.code, json.loads(content), retry_after
            except ValueError:
                return exc.code, {"raw": content.decode(errors="replace")}, retry_after


@dataclass
class Load:
    """Members booking and cancelling in turn; what the app answered, and what the client concluded."""

    app: App
    office_code: str
    day: str
    tokens: list[str]
    active: dict[int, str] = field(default_factory=dict)
    booked: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    done: int = 0
    error: BaseException | None = None

    def answered(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict, int]:
        """Retries while the app says 503 (the switch), as a member's app does; returns the answer and the tries."""
        deadline = time.monotonic() + 60
        tries = 0
        while True:
            tries += 1
            status, content, retry_after = self.app.call(method, path, token, body)
            self.statuses.append(status)
            if status != 503:
                return status, content, tries
            assert retry_after and content["code"] == "database_unavailable", content
            assert time.monotonic() < deadline, "the app did not come back"
            time.sleep(0.1)

    def run(self) -> None:
        try:
            for i in range(OPERATIONS):
                who = i % len(self.tokens)
                token = self.tokens[who]
                if who not in self.active:
                    body = {"office": self.office_code, "day": self.day, "hour": SLOT_HOURS[i % len(SLOT_HOURS)]}
                    status, content, tries = self.answered("POST", "/api/v1/bookings/mine", token, body)
                    if status == 201:
                        code = content["code"]
                    else:
                        # a retried booking whose first try committed unanswered: the member has it, once
                        assert tries > 1 and content.get("code") == "already_booked", (status, content)
                        _status, mine, _tries = self.answered("GET", "/api/v1/bookings/mine", token)
                        code = next(b["code"] for b in mine if b["status"] == "booked")
                    self.active[who] = code
                    self.booked.append(code)
                else:
                    code = self.active.pop(who)
                    status, content, tries = self.answered("POST", f"/api/v1/bookings/mine/{code}/cancel", token)
                    assert status == 200 or (tries > 1 and content.get("code") == "booking_not_changeable"), content
                    self.cancelled.append(code)
                self.done += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


@dataclass
class Postings:
    """The monthly wage-report import, month after month, while the bookings run: on a lost connection the same
    month is imported again (as the posting job would be re-run); the import counts a row already posted as a
    duplicate, so a month whose first try committed unanswered is not posted twice."""

    lines: list
    npp: str
    stop: threading.Event
    posted: list[date] = field(default_factory=list)
    rows_posted: int = 0
    rows_duplicate: int = 0
    failures: int = 0
    error: BaseException | None = None

    def run(self) -> None:
        try:
            period = FIRST_PERIOD
            while len(self.posted) < MAX_PERIODS and not (self.stop.is_set() and self.failures):
                try:
                    results = import_month(period=period, lines=[line(m, 5_000_000, npp=self.npp) for m in self.lines])
                except (OperationalError, InterfaceError):
                    self.failures += 1
                    connection.close()  # as a new job run would start on a new connection
                    time.sleep(0.1)
                    continue
                self.rows_posted += sum(r.rows_posted for r in results)
                self.rows_duplicate += sum(r.rows_duplicate for r in results)
                self.posted.append(period)
                period = add_months(period, 1)
                time.sleep(0.03)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            connections.close_all()


@dataclass
class Signups:
    """Accounts opened one person after another through the sign-up's last step (accounts.services.open_account),
    while the bookings run: on a lost connection the same person's sign-up is sent again; if its first try committed
    unanswered, the retry is refused as already registered, and the person has one account."""

    persons: list
    stop: threading.Event
    opened: list[int] = field(default_factory=list)
    failures: int = 0
    error: BaseException | None = None

    def run(self) -> None:
        try:
            retrying = False
            for person in self.persons:
                while True:
                    try:
                        create_account_for_demo(
                            person=person,
                            email=f"baru{person.pk}@example.com",
                            phone=f"+6281399{person.pk:06d}",
                            password="Kopi-Tubruk-2024!",
                        )
                    except (OperationalError, InterfaceError):
                        self.failures += 1
                        retrying = True
                        connection.close()
                        time.sleep(0.1)
                        continue
                    except DomainError as exc:
                        assert retrying and exc.code == "already_registered", exc.code
                    break
                retrying = False
                self.opened.append(person.pk)
                if self.stop.is_set() and self.failures:
                    break
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            connections.close_all()


def _as_postgres_user(command: list[str]) -> list[str]:
    user = os.environ.get("JAMINANKU_TEST_PGUSER")
    return ["runuser", "-u", user, "--", *command] if user else command


def _rebuild_old_primary_as_standby() -> None:
    """The old primary's data directory becomes a fresh copy of the new primary, streaming synchronously from it
    under the same name (Patroni does this with pg_rewind or a new base backup)."""
    env = os.environ
    old, log = env["JAMINANKU_TEST_PGPRIMARY_DATA"], env["JAMINANKU_TEST_PGPRIMARY_LOG"]
    new_host, new_port = env["JAMINANKU_TEST_PGSTANDBY_HOST"], env["JAMINANKU_TEST_PGSTANDBY_PORT"]
    shutil.rmtree(old)
    basebackup = str(Path(env["JAMINANKU_TEST_PGCTL"]).with_name("pg_basebackup"))
    command = [
        basebackup,
        "-h",
        new_host,
        "-p",
        new_port,
        "-U",
        "jaminanku",
        "-D",
        old,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
    ]
    subprocess.run(_as_postgres_user(command), check=True, timeout=120)  # noqa: S603
    conninfo = f"primary_conninfo = 'host={new_host} port={new_port} user=jaminanku application_name=standby1'\n"
    with open(Path(old) / "postgresql.auto.conf", "a") as conf:
        conf.write(conninfo)
    options = f"-k {env['JAMINANKU_TEST_PGPRIMARY_HOST']} -p {env['JAMINANKU_TEST_PGPRIMARY_PORT']}"
    options += f" {env['JAMINANKU_TEST_PGOPTIONS']}"
    pg_ctl("-w", "-t", "60", "-o", options, "start", data=old, log=log)
    with connections["default"].cursor() as cursor:
        cursor.execute("ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        cursor.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 60
    while True:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")
            if cursor.fetchone()[0] == 1:
                break
        assert time.monotonic() < deadline, "the rebuilt standby did not connect"
        time.sleep(0.1)


def _server_port(alias: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_setting('port'), pg_is_in_recovery()")
        port, in_recovery = cursor.fetchone()
    return f"{port}{' (standby)' if in_recovery else ''}"


def test_killing_the_primary_under_load_loses_no_answered_write_and_answers_503_during_the_switch(settings):
    require_replica()
    assert settings.DATABASES["default"]["OPTIONS"]["target_session_attrs"] == "read-write"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    env = os.environ
    office = Office.objects.create(
        code="KC3273",
        name="Kantor Cabang Bandung",
        kind="kc",
        province_id="32",
        time_zone="Asia/Jakarta",
        queue_capacity=50,
    )
    members = [
        make_member(email=f"anggota{n}@example.com", phone=f"+62812111100{n:02d}", ended_days_ago=90 + n)
        for n in range(4)
    ]
    tokens = [issue_api_token(user=m.user, label="failover") for m in members]
    firm = employer(risk_class=2)
    workers = [pu_member() for _ in range(3)]
    for worker in workers:
        EmploymentFactory(membership=worker, employer=firm, start=FIRST_PERIOD)
    newcomers = PersonFactory.create_batch(SIGNUPS)
    standby_caught_up()
    assert _server_port("default") == env["JAMINANKU_TEST_PGPRIMARY_PORT"]

    with App() as app:
        load = Load(app, office.code, first_free_day(office).isoformat(), tokens)
        runner = threading.Thread(target=load.run, daemon=True)
        postings = Postings(workers, firm.npp, threading.Event())
        poster = threading.Thread(target=postings.run, daemon=True)
        signups = Signups(newcomers, postings.stop)
        signer = threading.Thread(target=signups.run, daemon=True)
        runner.start()
        poster.start()
        signer.start()
        deadline = time.monotonic() + 60
        while load.done < KILL_AFTER and load.error is None:
            assert time.monotonic() < deadline, load.statuses[-10:]
            time.sleep(0.01)
        pg_ctl(
            "-m",
            "immediate",
            "-w",
            "stop",
            data=env["JAMINANKU_TEST_PGPRIMARY_DATA"],
            log=env["JAMINANKU_TEST_PGPRIMARY_LOG"],
        )
        killed_at = len(load.statuses)
        time.sleep(1)  # the load meets no primary: a moment of 503s
        pg_ctl(
            "-w",
            "-t",
            "60",
            "promote",
            data=env["JAMINANKU_TEST_PGSTANDBY_DATA"],
            log=env["JAMINANKU_TEST_PGSTANDBY_LOG"],
        )
        runner.join(timeout=90)
        postings.stop.set()
        poster.join(timeout=90)
        signer.join(timeout=120)
    assert load.error is None, repr(load.error)
    assert postings.error is None, repr(postings.error)
    assert signups.error is None, repr(signups.error)
    assert load.done == OPERATIONS

    assert 500 not in load.statuses
    assert 503 in load.statuses[killed_at:]  # the switch was seen, and said so
    assert set(load.statuses) <= {200, 201, 503, 400, 409}

    # the test's own connection went with the primary; a new one finds the promoted server through the same string
    connections.close_all()
    assert _server_port("default") == env["JAMINANKU_TEST_PGSTANDBY_PORT"]
    rows = dict(Booking.objects.values_list("code", "status"))
    assert sorted(rows) == sorted(load.booked)  # every answered booking is there, and nothing else
    assert len(set(load.booked)) == len(load.booked)
    assert all(rows[code] == Booking.Status.CANCELLED for code in load.cancelled)
    assert all(rows[code] == Booking.Status.BOOKED for code in load.active.values())
    for slot in Slot.objects.annotate(held=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))):
        assert slot.booked == slot.held, slot  # no place counted twice or lost

    # every month the import answered is posted, once per worker
    assert postings.failures > 0, "the postings did not meet the switch"
    posted = sorted(Contribution.objects.filter(membership__in=workers).values_list("membership_id", "period"))
    assert posted == sorted((w.pk, period) for w in workers for period in postings.posted)
    assert postings.rows_posted + postings.rows_duplicate == len(posted)

    # every sign-up answered has its account, once; nobody else got one
    assert signups.failures > 0, "the sign-ups did not meet the switch"
    opened = sorted(MemberProfile.objects.filter(person__in=newcomers).values_list("person_id", flat=True))
    assert opened == sorted(signups.opened)

    print(  # shown with -s: how much the switch cost
        f"failover: {load.statuses.count(503)} answers 503 of {len(load.statuses)}, {len(load.booked)} bookings,"
        f" {len(load.cancelled)} cancellations; {len(postings.posted)} months posted, {postings.failures} retried,"
        f" {postings.rows_duplicate} rows found already posted; {len(signups.opened)} accounts opened,"
        f" {signups.failures} retried"
    )
    _rebuild_old_primary_as_standby()
    connections.close_all()
