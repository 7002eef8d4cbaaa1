"""The demo population's registry rows (persons, their memberships and employments) loaded with ids the loader
assigns: each table's ids are reserved in one block (`bulk.reserve_ids`) and handed out in the population's
order, so a chunk of persons goes in as plain COPYs with nothing to read back, the chunks can go in from several
processes at once (PostgreSQL), and every row gets the same id on every run, whichever chunk lands first.

Why processes: at a million persons the registry took two minutes in one process, which alternated between its
own Python (the rows) and the server (the COPYs and the indexes), keeping about one of the two cores busy.
Each process writes its own chunks in their own transactions; the rows never overlap (every NIK and KPJ is made
once by `population.PopulationBuilder`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone

from jaminanku.contributions.bulk import insert_rows, reserve_ids
from jaminanku.demo.population import DemoPerson
from jaminanku.registry.models import Employment, Membership, Person

CHUNK_PERSONS = 5000

_PERSON_COLUMNS = ("id", "nik", "full_name", "date_of_birth", "sex", "place_of_birth", "mother_maiden_name")
_PERSON_COLUMNS += ("district_id", "address", "nik_flagged", "created_at")
_MEMBERSHIP_COLUMNS = ("id", "kpj", "person_id", "segment", "registered_on", "jht_opted", "created_at")
_EMPLOYMENT_COLUMNS = ("id", "membership_id", "employer_id", "start", "end", "end_reason")


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Persons `start` to `end` (exclusive) of the population and the first id of each table's rows for them."""

    start: int
    end: int
    person_id: int
    membership_id: int
    employment_id: int


@dataclass(frozen=True, slots=True)
class _Load:
    people: Sequence[DemoPerson]
    employer_ids: dict[str, int]
    now: datetime


# What the forked processes insert: set before they start, read by them through the fork (never pickled).
_current: _Load | None = None


def load_registry(
    people: Sequence[DemoPerson], employer_ids: dict[str, int], *, workers: int, say: Callable[[str], None]
) -> int:
    """Inserts the persons, memberships and employments of `people`; returns the memberships inserted."""
    global _current
    check_columns(Person, _PERSON_COLUMNS)
    check_columns(Membership, _MEMBERSHIP_COLUMNS)
    check_columns(Employment, _EMPLOYMENT_COLUMNS)
    memberships = sum(len(person.jobs) or 1 for person in people)
    employments = sum(len(person.jobs) for person in people)
    if not people:
        return 0
    with transaction.atomic():
        first_person = reserve_ids(Person._meta.db_table, len(people))
        first_membership = reserve_ids(Membership._meta.db_table, memberships)
        first_employment = reserve_ids(Employment._meta.db_table, employments) if employments else 1
    chunks = list(_chunks(people, first_person, first_membership, first_employment))
    _current = _Load(people, employer_ids, timezone.now())
    try:
        done = 0
        for persons in _insert_all(chunks, workers=workers):
            done += persons
            say(f"  registry: {done} persons")
    finally:
        _current = None
    return memberships


def check_columns(model: type[Model], columns: tuple[str, ...]) -> None:
    """The loader names every column of `model`'s table, so that a field added to the model later cannot be left
    to a default the database does not have."""
    expected = {str(field.column) for field in model._meta.concrete_fields}
    if set(columns) != expected:
        raise ImproperlyConfigured(f"seed columns of {model.__name__} differ from the model: {sorted(expected)}")


def _chunks(people: Sequence[DemoPerson], person_id: int, membership_id: int, employment_id: int) -> Iterator[_Chunk]:
    for start in range(0, len(people), CHUNK_PERSONS):
        end = min(start + CHUNK_PERSONS, len(people))
        yield _Chunk(start, end, person_id + start, membership_id, employment_id)
        for person in people[start:end]:
            membership_id += len(person.jobs) or 1
            employment_id += len(person.jobs)


def _insert_all(chunks: list[_Chunk], *, workers: int) -> Iterator[int]:
    """Inserts every chunk, `workers` processes at once on PostgreSQL; yields each chunk's persons as it lands."""
    if workers <= 1 or connection.vendor != "postgresql":
        for chunk in chunks:
            yield _insert_chunk(chunk)
        return
    connections.close_all()  # a forked child must open its own connection, never use the parent's socket
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_insert_chunk_closing, chunks)


def _insert_chunk_closing(chunk: _Chunk) -> int:
    try:
        return _insert_chunk(chunk)
    finally:
        connections.close_all()  # the pool ends its processes without a goodbye to the server otherwise


def _insert_chunk(chunk: _Chunk) -> int:
    """One chunk's rows in one transaction. The rows are valid by construction (see population.py)."""
    assert _current is not None
    people, employer_ids, now = _current.people[chunk.start : chunk.end], _current.employer_ids, _current.now
    persons, memberships, employments = [], [], []
    membership_id, employment_id = chunk.membership_id, chunk.employment_id
    for person_id, demo in enumerate(people, start=chunk.person_id):
        persons.append(
            (person_id, demo.nik, demo.full_name, demo.date_of_birth, demo.sex, demo.place_of_birth)
            + (demo.mother_maiden_name, demo.district, "", False, now)
        )
        for job in demo.jobs:
            memberships.append((membership_id, job.kpj, person_id, "PU", job.start, True, now))
            employments.append(
                (employment_id, membership_id, employer_ids[job.npp], job.start, job.end, job.end_reason)
            )
            membership_id += 1
            employment_id += 1
        if not demo.jobs:
            registered = demo.registered_on or demo.date_of_birth
            memberships.append((membership_id, demo.own_kpj, person_id, demo.segment, registered, demo.jht_opted, now))
            membership_id += 1
    with transaction.atomic():
        insert_rows(Person._meta.db_table, _PERSON_COLUMNS, persons)
        insert_rows(Membership._meta.db_table, _MEMBERSHIP_COLUMNS, memberships)
        insert_rows(Employment._meta.db_table, _EMPLOYMENT_COLUMNS, employments)
    return len(people)
