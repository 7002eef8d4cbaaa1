"""Loads a demo population into the database: registry rows in bulk, then the wage history through the real
services: each year's wage reports and self-payments in one backlog import each, then that year's claims month by
month, then its crediting."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from django.db import transaction

from jaminanku.demo.bulkload import commits_not_waiting_for_disk, ledger_indexes_built_after
from jaminanku.demo.claims import paid_claims
from jaminanku.demo.memory import cycle_collection_paused, month_done
from jaminanku.demo.population import DemoPerson, Job, PopulationBuilder, month_index, month_start
from jaminanku.demo.registry import load_registry
from jaminanku.demo.reports import ReportPosters, paid_on_time_by_self_payers
from jaminanku.offices.models import EmployerBranch, Office
from jaminanku.offices.services import load_offices
from jaminanku.registry.models import Employer, Regency


def _year_partitions(first: int, last: int) -> None:
    """On a partitioned ledger (PostgreSQL), the yearly partitions of the history's years, before it is loaded: a
    new database has them from `partitions.FIRST_YEAR` (2014) only, and a history reaching further back (180
    months) would put its first years in the DEFAULT partition, which every look-up of a year then reads too."""
    from django.db import connection

    from jaminanku.contributions import partitions

    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if partitions.is_partitioned(cursor, partitions.CONTRIBUTIONS.table):
            partitions.create_years(cursor, range(first, last + 1))


def _years(first: int, last: int) -> Iterator[tuple[int, int]]:
    """The months from `first` to `last` (month indexes) as spans of a calendar year: to each December, the last
    span to `last`."""
    start = first
    while start <= last:
        end = min(last, start + 11 - start % 12)
        yield start, end
        start = end + 1


@dataclass
class SeedReport:
    persons: int = 0
    memberships: int = 0
    employers: int = 0
    periods_posted: int = 0
    contributions_posted: int = 0
    claims: int = 0
    years_credited: int = 0
    accounts: int = 0


def branch_for_regency() -> dict[str, Office]:
    """The branch that serves each regency: the one in that city if there is one, else the first in the
    province."""
    load_offices()
    branches = list(Office.objects.filter(kind=Office.Kind.BRANCH).order_by("code"))
    by_regency = {o.regency_id: o for o in branches if o.regency_id}
    by_province: dict[str, Office] = {}
    for office in branches:
        by_province.setdefault(office.province_id, office)
    return {
        code: by_regency.get(code) or by_province[province]
        for code, province in Regency.objects.filter(current=True).values_list("code", "province_id")
        if code in by_regency or province in by_province
    }


class DemoSeeder:
    def __init__(
        self,
        *,
        persons: int,
        seed: int,
        as_of: date,
        workers: int = 1,
        say: Callable[[str], None] = lambda _m: None,
    ):
        self.workers = workers  # processes posting the wage reports (more than one: PostgreSQL only)
        self.builder = PopulationBuilder(persons=persons, seed=seed, as_of=as_of)
        self.rng = random.Random(seed + 1)
        self.say = say
        self.report = SeedReport()
        self.people: list[DemoPerson] = []

    def run(self, *, accounts: int = 0) -> SeedReport:
        with commits_not_waiting_for_disk():
            self._registry()
            self._history()
        if accounts:
            self._accounts(accounts)
        return self.report

    # --- registry ----------------------------------------------------------------------------------------
    def _registry(self) -> None:
        branches = branch_for_regency()
        employers = self.builder.employers()
        with transaction.atomic():
            Employer.objects.bulk_create(
                (
                    Employer(
                        npp=e.npp,
                        name=e.name,
                        risk_class=e.risk_class,
                        regency_id=e.regency,
                    )
                    for e in employers
                ),
                batch_size=5000,
            )
            employer_ids = dict(Employer.objects.values_list("npp", "id"))
            EmployerBranch.objects.bulk_create(
                (
                    EmployerBranch(employer_id=employer_ids[e.npp], office=branches[e.regency])
                    for e in employers
                    if e.regency in branches
                ),
                batch_size=5000,
            )
        self.report.employers = len(employers)
        self.people, self.report.memberships = load_registry(
            self.builder.people(), employer_ids, workers=self.workers, say=self.say
        )
        self.report.persons = len(self.people)

    # --- history -----------------------------------------------------------------------------------------
    def _history(self) -> None:
        last = self.builder.last_period
        starts: dict[int, list[tuple[DemoPerson, Job]]] = defaultdict(list)
        payers: dict[int, list[DemoPerson]] = defaultdict(list)
        claims: dict[int, list[Job]] = defaultdict(list)
        for person in self.people:
            for job in person.jobs:
                if job.first_period <= last:
                    starts[job.first_period].append((person, job))
                if job.end and self.rng.random() < 0.35:
                    claims[month_index(job.end) + 2].append(job)
            if person.declared_income and person.paid_from <= last:
                payers[person.paid_from].append(person)
        if not starts and not payers:
            return
        first = min([*starts, *payers])
        _year_partitions(month_start(first).year, month_start(last).year)
        with ledger_indexes_built_after(self.say), cycle_collection_paused():
            self._post_history(first, last, starts, payers, claims)

    def _post_history(
        self,
        first: int,
        last: int,
        starts: dict[int, list[tuple[DemoPerson, Job]]],
        payers: dict[int, list[DemoPerson]],
        claims: dict[int, list[Job]],
    ) -> None:
        from jaminanku.contributions import services as ledger

        reports = ReportPosters.start(starts, last=last, workers=self.workers)
        paying: list[DemoPerson] = []
        try:
            for span_first, span_last in _years(first, last):
                reports.begin(span_first, span_last)
                bpu: list[tuple[str, int, date]] = []
                for period in range(span_first, span_last + 1):
                    paying = [p for p in paying if p.paid_to >= period] + payers.pop(period, [])
                    day = month_start(period)
                    bpu += [(p.own_kpj, p.declared_income, day) for p in paying if self.rng.random() * 1e6 < p.pay_ppm]
                if bpu:
                    # the span's months at once, each member's months together: one look-up per member and chunk
                    bpu.sort(key=itemgetter(0))
                    results = ledger.post_bpu_months(
                        first=month_start(span_first),
                        last=month_start(span_last),
                        lines=bpu,
                        paid_on=paid_on_time_by_self_payers,
                    )
                    self.report.contributions_posted += sum(result.rows_posted for result in results)
                # Claims and crediting read the balances the reports moved: they wait for them.
                self.report.contributions_posted += reports.finish()
                for period in range(span_first, span_last + 1):
                    self._claims(claims.pop(period, []), month_start(period), ledger)
                self.report.periods_posted += span_last - span_first + 1
                month_done()
                last_day = month_start(span_last)
                crediting = ""
                if last_day.month == 12:
                    started = time.monotonic()
                    self._credit(last_day.year, ledger)
                    crediting = f" (development credited in {time.monotonic() - started:.1f} s)"
                self.say(f"  history: posted up to {last_day:%m/%Y}{crediting}")
        finally:
            reports.stop()

    def _claims(self, jobs: list[Job], period_day: date, ledger: Any) -> None:
        if not jobs:
            return
        from jaminanku.contributions.models import Account

        # 100 % of the balance, posted for the whole month's claimants at once through the claim service, and
        # each entry's paid claim beside it, so that every claim entry has its claim as reconcile_ledger checks.
        grounds = {j.kpj: j.end_reason for j in jobs}
        paid_on = period_day + timedelta(days=9)
        rows = list(
            Account.objects.filter(membership__kpj__in=list(grounds), balance__gt=0)
            .order_by("membership_id")
            .values_list("membership_id", "membership__person_id", "membership__kpj", "balance")
        )
        claims = [
            ledger.ClaimLine(
                membership_id=membership_id,
                amount=balance,
                paid_on=paid_on,
                reason="demo: klaim JHT 100% setelah berhenti bekerja",
            )
            for membership_id, _person, _kpj, balance in rows
        ]
        with transaction.atomic():
            entries = ledger.post_jht_claims(claims=claims)
            paid_claims(
                [
                    (person_id, membership_id, grounds[kpj], entry)
                    for (membership_id, person_id, kpj, _balance), entry in zip(rows, entries, strict=True)
                ]
            )
        self.report.claims += len(claims)

    def _credit(self, year: int, ledger: Any) -> None:
        from jaminanku.core.errors import DomainError

        # One chunk of accounts per connection: while seeding, a chunk finds the year's contributions through the
        # BRIN index on their period (the per-member index is built after the history), so each chunk reads the
        # whole year once, and fewer chunks read it fewer times.
        chunk_size = self.report.memberships // self.workers + 1
        try:
            ledger.credit_development(year=year, connections=self.workers, chunk_size=chunk_size)
            self.report.years_credited += 1
        except DomainError as exc:
            self.say(f"  development {year}: not credited ({exc.message})")

    # --- accounts ----------------------------------------------------------------------------------------
    def _accounts(self, count: int) -> None:
        from jaminanku.demo.identity import make_demo_accounts

        self.report.accounts = make_demo_accounts(count)
