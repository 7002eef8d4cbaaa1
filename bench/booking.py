"""Booking under contention: 200 clients (threads, each with its own database connection) race for one slot of
capacity 20 through the booking service. Reports attempts/s and checks that exactly the capacity was booked.
Baseline: the same 200 threads running only the guarded UPDATE that takes a place, with psycopg directly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg

from bench.common import Result

CLIENTS = 200
CAPACITY = 20


def _race(clients: int, attempt: Callable[[int], bool]) -> tuple[float, int]:
    gate = threading.Barrier(clients)
    wins: list[bool] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        gate.wait()
        won = attempt(n)
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients / (time.perf_counter() - started), sum(wins)


def run(*, quick: bool) -> list[Result]:
    from django.db import connection

    from jaminanku.bookings.calendar import bookable_days
    from jaminanku.bookings.models import Booking, Slot
    from jaminanku.bookings.services import book_slot
    from jaminanku.core.errors import DomainError
    from jaminanku.offices.models import Office
    from jaminanku.registry.models import Person

    assert connection.vendor == "postgresql", "the contention benchmark needs PostgreSQL (make bench)"
    office = Office.objects.filter(active=True).order_by("code").first()
    assert office is not None
    day = bookable_days(office)[-1]
    hours = iter(range(8, 15))
    people = list(Person.objects.filter(bookings__isnull=True).order_by("pk")[:CLIENTS])
    assert len(people) == CLIENTS, "seed at least 200 persons first"

    # baseline: the guarded UPDATE alone, on its own slot
    base_slot = Slot.objects.create(office=office, day=day, hour=next(hours), capacity=CAPACITY)
    dsn = connection.get_connection_params()
    dsn.pop("cursor_factory", None)
    dsn.pop("context", None)

    def take_place(_n: int) -> bool:
        with psycopg.connect(**dsn, autocommit=True) as conn:
            cursor = conn.execute(
                "UPDATE bookings_slot SET booked = booked + 1 WHERE id = %s AND booked < capacity",
                [base_slot.pk],
            )
            return cursor.rowcount == 1

    baseline, base_wins = _race(CLIENTS, take_place)

    slot = Slot.objects.create(office=office, day=day, hour=next(hours), capacity=CAPACITY)

    def book(n: int) -> bool:
        try:
            book_slot(person=people[n], office=office, day=day, hour=slot.hour, service="data_update")
            return True
        except DomainError:
            return False
        finally:
            connection.close()

    ours, wins = _race(CLIENTS, book)
    booked = Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE).count()
    slot.refresh_from_db()
    exact = wins == booked == slot.booked == CAPACITY and base_wins == CAPACITY
    Booking.objects.filter(slot=slot).delete()
    Slot.objects.filter(pk__in=[slot.pk, base_slot.pk]).delete()
    return [
        Result(
            name="booking",
            title="Booking, 200 clients on one slot",
            unit="attempts/s",
            ours=ours,
            baseline=baseline,
            target="exactly the capacity booked",
            met=exact,
            size={"clients": CLIENTS, "capacity": CAPACITY},
            details={"booked": booked, "slot_booked": slot.booked, "baseline_wins": base_wins},
        )
    ]
