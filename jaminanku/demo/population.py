"""A deterministic, realistic demo population: persons, employers, careers with job changes, BPU and PMI members.

Registry rows are bulk-inserted (the generator only makes valid NIKs, KPJs and NPPs, and checks each NIK with the
same `check_nik` the admin uses); the wage history is then posted through the real services (wage reports a
year at a time through `import_month` with `through`, self-payments and claims month by month, crediting each
year), so demo balances come from the same code as real ones.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import accumulate
from typing import Generic, TypeVar

from faker import Faker
from faker.providers.address.id_ID import Provider as IndonesianAddresses
from faker.providers.person.id_ID import Provider as IndonesianNames

from jaminanku.registry.nik import check_nik
from jaminanku.registry.regions import DATA_DIR, region_codes

V = TypeVar("V")


class _Weighted(Generic[V]):
    """A weighted draw, its cumulative weights worked out once: the same draws as `rng.choices(values,
    weights=…)`, which adds the weights up again on every call (a few times per demo person)."""

    def __init__(self, weighted: Sequence[tuple[V, int]]):
        self.values = [v for v, _ in weighted]
        self.cum_weights = list(accumulate(w for _, w in weighted))

    def pick(self, rng: random.Random) -> V:
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


END_REASONS = _Weighted([("resignation", 50), ("end_of_contract", 30), ("dismissal", 20)])
SEGMENT_WEIGHTS = _Weighted([("PU", 83), ("BPU", 10), ("PMI", 4), ("JAKON", 3)])
RISK_WEIGHTS = _Weighted([(1, 35), (2, 30), (3, 20), (4, 10), (5, 5)])
# Months of history with the agency: uniform up to the full 15 years that the rate tables cover.
HISTORY_MONTHS = 180
# After a job ends, the chance that the person leaves formal work for good (a non-active member).
LEAVES_FORMAL_WORK = 0.2


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Job:
    kpj: str
    npp: str
    start: date
    end: date | None
    end_reason: str
    wage: int
    growth_ppm: int  # yearly wage growth, parts per million

    # The seeder asks for every job's wage every month: both are worked out once (the start never changes).
    _wages: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def first_period(self) -> int:
        return month_index(self.start)

    def last_period(self, default: int) -> int:
        return month_index(self.end) if self.end else default

    def wage_in(self, period: int) -> int:
        years = (period - self.first_period) // 12
        found = self._wages.get(years)
        if found is None:
            wage = self.wage
            for _ in range(years):
                wage = wage * (1_000_000 + self.growth_ppm) // 1_000_000
            found = self._wages[years] = wage // 1000 * 1000
        return found


@dataclass
class DemoPerson:
    nik: str
    full_name: str
    date_of_birth: date
    sex: str
    place_of_birth: str
    mother_maiden_name: str
    district: str
    segment: str
    jobs: list[Job] = field(default_factory=list)
    # BPU/PMI: one self-paying membership
    own_kpj: str = ""
    registered_on: date | None = None
    jht_opted: bool = True
    declared_income: int = 0
    paid_from: int = 0
    paid_to: int = 0
    pay_ppm: int = 0  # chance of paying in a given month, parts per million


@dataclass
class DemoEmployer:
    npp: str
    name: str
    risk_class: int
    regency: str
    province: str


class PopulationBuilder:
    """Makes the demo population for `persons` people, reproducibly from `seed`, as of `as_of` (a month)."""

    def __init__(self, *, persons: int, seed: int, as_of: date):
        self.persons = persons
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.as_of = as_of.replace(day=1)
        self.last_period = month_index(self.as_of) - 1  # the month before as_of is the last one reported
        self._kpj_seq = 0
        self._nik_serials: dict[str, int] = {}
        self._load_regions()

    # --- regions -----------------------------------------------------------------------------------------
    def _load_regions(self) -> None:
        with (DATA_DIR / "provinces.csv").open(encoding="utf-8") as handle:
            provinces = [r for r in csv.DictReader(handle) if r["current"] == "1"]
        self.provinces = _Weighted([(p["code"], int(p["population_total"] or 1)) for p in provinces])
        self.districts_by_province: dict[str, list[str]] = {}
        with (DATA_DIR / "districts.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["current"] == "1":
                    self.districts_by_province.setdefault(row["code"][:2], []).append(row["code"])
        self.regencies_by_province: dict[str, list[str]] = {}
        with (DATA_DIR / "regencies.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["current"] == "1":
                    self.regencies_by_province.setdefault(row["province_code"], []).append(row["code"])
        self.known_codes = region_codes()

    def _province(self) -> str:
        return self.provinces.pick(self.rng)

    # --- identifiers -------------------------------------------------------------------------------------
    def _nik(self, district: str, dob: date, sex: str) -> str:
        day = dob.day + (40 if sex == "F" else 0)
        prefix = f"{district}{day:02d}{dob.month:02d}{dob.year % 100:02d}"
        serial = self._nik_serials.get(prefix, 0) + 1
        self._nik_serials[prefix] = serial
        nik = f"{prefix}{serial:04d}"
        check = check_nik(nik, date_of_birth=dob, sex=sex, known_codes=self.known_codes)
        assert check.valid and not check.date_mismatch, (nik, check.errors)
        return nik

    def _kpj(self, registered: date) -> str:
        self._kpj_seq += 1
        return f"{registered.year % 100:02d}{self._kpj_seq:09d}"

    # --- employers ---------------------------------------------------------------------------------------
    def employers(self) -> list[DemoEmployer]:
        count = max(10, self.persons // 40)
        result = []
        for seq in range(1, count + 1):
            province = self._province()
            regency = self.rng.choice(self.regencies_by_province[province])
            risk = RISK_WEIGHTS.pick(self.rng)
            result.append(
                DemoEmployer(
                    npp=f"{province}{seq:06d}",
                    name=self.fake.company()[:200],
                    risk_class=risk,
                    regency=regency,
                    province=province,
                )
            )
        self.employer_list = result
        return result

    # --- persons -----------------------------------------------------------------------------------------
    def people(self) -> Iterator[DemoPerson]:
        for _ in range(self.persons):
            yield self._person()

    def _person(self) -> DemoPerson:
        rng = self.rng
        sex = "F" if rng.random() < 0.45 else "M"
        age = rng.randint(18, 60)
        dob = self.as_of - timedelta(days=age * 365 + rng.randint(0, 364))
        province = self._province()
        district = rng.choice(self.districts_by_province[province])
        # Faker's id_ID names and cities drawn as its first_name_female() etc. draw them (one `choice` of its
        # own random each), without its per-call look-ups: a fifth of the time of making a person.
        names, choice = IndonesianNames, self.fake.random.choice
        first = choice(names.first_names_female if sex == "F" else names.first_names_male)
        person = DemoPerson(
            nik=self._nik(district, dob, sex),
            full_name=f"{first} {choice(names.last_names)}",
            date_of_birth=dob,
            sex=sex,
            place_of_birth=choice(IndonesianAddresses.cities),
            mother_maiden_name=f"{choice(names.first_names_female)} {choice(names.last_names)}",
            district=district,
            segment=SEGMENT_WEIGHTS.pick(rng),
        )
        working_months = max(0, (age - 18) * 12)
        history = min(rng.randint(0, HISTORY_MONTHS), working_months)
        start = month_index(self.as_of) - history
        if person.segment == "PU":
            self._career(person, start)
        else:
            self._self_paying(person, start)
        return person

    def _career(self, person: DemoPerson, start: int) -> None:
        rng = self.rng
        cursor = start
        wage = rng.randrange(2_500_000, 12_000_000, 50_000)
        while True:
            begin = month_start(cursor).replace(day=rng.randint(1, 28))
            duration = rng.randint(6, 96)
            end_index = cursor + duration
            job = Job(
                kpj=self._kpj(begin),
                npp=rng.choice(self.employer_list).npp,
                start=begin,
                end=None,
                end_reason="",
                wage=wage,
                growth_ppm=rng.randint(30_000, 80_000),
            )
            person.jobs.append(job)
            if end_index > self.last_period:
                if rng.random() < 0.15 and cursor < self.last_period:
                    # some recently left their job: claimable after the waiting month
                    end_day = month_start(self.last_period).replace(day=rng.randint(1, 28))
                    job.end = max(end_day, begin)
                    job.end_reason = END_REASONS.pick(rng)
                break
            job.end = month_start(end_index).replace(day=rng.randint(1, 28))
            job.end_reason = END_REASONS.pick(rng)
            wage = job.wage_in(end_index) * rng.randint(100, 125) // 100
            if rng.random() < LEAVES_FORMAL_WORK:
                break
            gap = rng.choice([0, 0, 0, 1, 2, 3, 6])
            cursor = end_index + gap + (0 if gap == 0 else 1)
            if cursor > self.last_period:
                break

    def _self_paying(self, person: DemoPerson, start: int) -> None:
        rng = self.rng
        person.registered_on = month_start(start).replace(day=rng.randint(1, 28))
        person.own_kpj = self._kpj(person.registered_on)
        if person.segment == "JAKON":
            person.jht_opted = False
            return
        person.jht_opted = rng.random() < 0.6
        # Self-payment rates start with the BPU programme (July 2015) and PMI JHT (February 2023).
        first_payable = month_index(date(2015, 7, 1) if person.segment == "BPU" else date(2023, 2, 1))
        person.paid_from = max(start, first_payable)
        # a third stopped paying at some point: non-active members
        stop = rng.randint(min(person.paid_from, self.last_period), self.last_period)
        person.paid_to = self.last_period if rng.random() < 0.67 else stop
        person.pay_ppm = 950_000
        if person.segment == "BPU":
            person.declared_income = rng.randrange(1_000_000, 5_000_001, 500_000)
        else:  # PMI: the monthly JHT amount the migrant worker chose
            person.jht_opted = True
            person.declared_income = rng.randrange(50_000, 300_001, 50_000)
