"""The demo population's registry rows (persons, their memberships and employments) loaded with ids the loader
assigns: as each chunk of persons is made, each table's ids for it are reserved in one block (`bulk.reserve_ids`)
and handed out in the population's order, so the chunk goes in as plain COPYs with nothing to read back, chunks
can go in from several processes at once (PostgreSQL) while the next ones are being made, and every row gets the
same id on every run, whichever chunk lands first.

Why processes: at a million persons the registry took two minutes in one process, which alternated between
making persons (Python), its rows, and the server (the COPYs and the indexes), keeping about one of the two cores
busy. Now this process makes the persons and their rows (plain tuples, cheap to send) and the worker processes
insert them, each chunk in its own transaction; the rows never overlap (every NIK and KPJ is made once by
`population.PopulationBuilder`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import AsyncResult

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone

from jaminanku.core.bulk import chunks, insert_rows, reserve_ids
from jaminanku.demo.population import DemoPerson
from jaminanku.registry.models import Employment, Membership, Person

CHUNK_PERSONS = 5000

_PERSON_COLUMNS = (
    *("id", "nik", "full_name", "date_of_birth", "sex", "place_of_birth", "mother_maiden_name"),
    *("district_id", "address", "nik_flagged", "created_at"),
)
_MEMBERSHIP_COLUMNS = ("id", "kpj", "person_id", "segment", "registered_on", "jht_opted", "created_at")
_EMPLOYMENT_COLUMNS = ("id", "membership_id", "employer_id", "start", "end", "end_reason")

Rows = list[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class _ChunkRows:
    persons: Rows
    memberships: Rows
    employments: Rows


def check_columns(model: type[Model], columns: tuple[str, ...]) -> None:
    """The loader names every column of `model`'s table, so that a field added to the model later cannot be left
    to a default the database does not have."""
    expected = {str(field.column) for field in model._meta.concrete_fields}
    if set(columns) != expected:
        raise ImproperlyConfigured(f"seed columns of {model.__name__} differ from the model: {sorted(expected)}")


def load_registry(
    people: Iterable[DemoPerson], employer_ids: dict[str, int], *, workers: int, say: Callable[[str], None]
) -> tuple[list[DemoPerson], int]:
    """Makes and inserts the persons, memberships and employments of `people`; returns the persons and the
    number of memberships."""
    check_columns(Person, _PERSON_COLUMNS)
    check_columns(Membership, _MEMBERSHIP_COLUMNS)
    check_columns(Employment, _EMPLOYMENT_COLUMNS)
    loaded: list[DemoPerson] = []
    memberships = 0
    now = timezone.now()

    def rows() -> Iterator[_ChunkRows]:
        nonlocal memberships
        for chunk in chunks(people, CHUNK_PERSONS):
            loaded.extend(chunk)
            made = _rows(chunk, employer_ids, now)
            memberships += len(made.memberships)
            yield made

    done = 0
    for persons in _insert_all(rows(), workers=workers):
        done += persons
        say(f"  registry: {done} persons")
    return loaded, memberships


def _rows(chunk: list[DemoPerson], employer_ids: dict[str, int], now: datetime) -> _ChunkRows:
    """The chunk's rows, with ids reserved for them (valid by construction: see population.py)."""
    counts = [len(person.jobs) or 1 for person in chunk]
    with transaction.atomic():
        person_id = reserve_ids(Person._meta.db_table, len(chunk))
        membership_id = reserve_ids(Membership._meta.db_table, sum(counts))
        jobs = sum(len(person.jobs) for person in chunk)
        employment_id = reserve_ids(Employment._meta.db_table, jobs) if jobs else 0
    persons: Rows = []
    memberships: Rows = []
    employments: Rows = []
    for demo in chunk:
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
        person_id += 1
    return _ChunkRows(persons, memberships, employments)


def _insert_all(made: Iterator[_ChunkRows], *, workers: int) -> Iterator[int]:
    """Inserts every chunk as it is made, in `workers` processes on PostgreSQL; yields each chunk's persons as it
    lands."""
    if workers <= 1 or connection.vendor != "postgresql":
        for rows in made:
            yield _insert(rows)
        return
    connections.close_all()  # a forked child must open its own connection, never use the parent's socket
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        # This process makes the chunks (reserving their ids on its own connection, opened after the fork) while
        # the workers insert the ones before; at most two chunks a worker wait, so memory stays bounded.
        pending: list[AsyncResult[int]] = []
        for rows in made:
            pending.append(pool.apply_async(_insert_closing, (rows,)))
            while len(pending) > 2 * workers:
                yield pending.pop(0).get()
        for result in pending:
            yield result.get()


def _insert_closing(rows: _ChunkRows) -> int:
    try:
        return _insert(rows)
    finally:
        connections.close_all()  # the pool ends its processes without a goodbye to the server otherwise


def _insert(rows: _ChunkRows) -> int:
    with transaction.atomic():
        insert_rows(Person._meta.db_table, _PERSON_COLUMNS, rows.persons)
        insert_rows(Membership._meta.db_table, _MEMBERSHIP_COLUMNS, rows.memberships)
        insert_rows(Employment._meta.db_table, _EMPLOYMENT_COLUMNS, rows.employments)
    return len(rows.persons)
