"""The demo's wage reports: each span of months (a year of history) posted at once through the real backlog
import (`imports.import_month` with `through`), in this process or split by employer across worker processes
that post it concurrently on their own database connections (PostgreSQL). A span's lines come member by member, each
member's months together, so the import looks each member up once per chunk, not once per month.

Why worker processes: seeding alternates Python (reading and checking the rows) with the database (posting
them), so one upload keeps one of the machine's two cores busy; two uploads in threads of one process were
measured no faster (bench/README.md). Each worker keeps its employers' jobs from span to span, so the
parent sends it only the span; `concurrent.futures` cannot pin that state to a process, hence the pipes. The
split is by employer, and every demo job has its own KPJ, so no membership, account, employment or wage report
is ever touched by two workers; claims and crediting run in the parent after each span's reports are in
(a claim is for an ended job's own KPJ, which no later report touches, so its amount is the same as if it had
been paid between the months).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from django.db import connections
from django.utils import timezone

from jaminanku.contributions.due import self_payment_due_date, wage_report_due_date
from jaminanku.contributions.imports import WageLine, import_month
from jaminanku.demo.memory import month_done
from jaminanku.demo.population import DemoPerson, Job, month_start

Starts = dict[int, list[tuple[DemoPerson, Job]]]


class MonthlyLines:
    """The wage-report rows of a set of jobs, span by span: each job from its first to its last period, in
    NPP order as reports come, each job's months together. `lines` must be asked for every span in turn."""

    def __init__(self, starts: Starts, *, last: int):
        self.starts = starts
        self.last = last
        # (last period, job, NIK, name) of the jobs reported in the span, kept across spans
        self.active: list[tuple[int, Job, str, str]] = []

    def lines(self, first: int, last: int) -> Iterator[WageLine]:
        self.active = [a for a in self.active if a[0] >= first]
        for period in range(first, last + 1):
            self.active.extend(
                (job.last_period(self.last), job, person.nik, person.full_name)
                for person, job in self.starts.pop(period, [])
            )
        self.active.sort(key=lambda a: a[1].npp)
        days = {period: month_start(period) for period in range(first, last + 1)}
        number = 0
        for job_last, job, nik, name in self.active:
            for period in range(max(first, job.first_period), min(last, job_last) + 1):
                number += 1
                yield WageLine(
                    npp=job.npp,
                    kpj=job.kpj,
                    nik=nik,
                    name=name,
                    wage=job.wage_in(period),
                    period=days[period],
                    row_number=number,
                )

    def post(self, first: int, last: int) -> int:
        """Posts the span's reports through the real import; the rows posted."""
        results = import_month(
            period=month_start(first), through=month_start(last), lines=self.lines(first, last), paid_on=paid_on_time
        )
        return sum(result.rows_posted for result in results)


def paid_on_time(period: date) -> date:
    """The demo's employers pay each month on its due date (or today, for a month not due yet)."""
    return min(wage_report_due_date(period), timezone.localdate())


def paid_on_time_by_self_payers(period: date) -> date:
    """The demo's self-paying members, likewise, by their own due date."""
    return min(self_payment_due_date(period), timezone.localdate())


def share_of_each_employer(sizes: Mapping[str, int], *, parts: int) -> dict[str, int]:
    """Which of `parts` shares each employer (NPP -> its size) goes to: the largest first, each on the share with
    the least so far, so the shares come out about even."""
    owner: dict[str, int] = {}
    loads = [0] * parts
    for npp, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        share = loads.index(min(loads))
        owner[npp] = share
        loads[share] += size
    return owner


def split_by_employer(starts: Starts, *, last: int, parts: int) -> list[Starts]:
    """`starts` in `parts` shares of whole employers, by months reported (`share_of_each_employer`)."""
    months: Counter[str] = Counter()
    for jobs in starts.values():
        for _person, job in jobs:
            months[job.npp] += job.last_period(last) - job.first_period + 1
    owner = share_of_each_employer(months, parts=parts)
    shares: list[Starts] = [defaultdict(list) for _ in range(parts)]
    for period, jobs in starts.items():
        for person, job in jobs:
            shares[owner[job.npp]][period].append((person, job))
    return shares


def _serve(pipe: Connection, lines: MonthlyLines) -> None:
    """A worker: posts each span the parent sends, answers (True, rows posted) or (False, the traceback)."""
    try:
        while (span := pipe.recv()) is not None:
            pipe.send((True, lines.post(*span)))
            month_done()
    except BaseException:  # noqa: BLE001 - the parent reports it and stops the run
        pipe.send((False, traceback.format_exc()))
    finally:
        connections.close_all()


class ReportPosters:
    """Posts each span's wage reports: `begin(first, last)` starts the months from `first` to `last`,
    `finish()` waits for them and returns the rows posted; `stop()` ends the workers."""

    def __init__(self, own: MonthlyLines | None, workers: list[tuple[BaseProcess, Connection]]):
        self.own = own
        self.workers = workers
        self.posted = 0

    @classmethod
    def start(cls, starts: Starts, *, last: int, workers: int) -> ReportPosters:
        if workers <= 1:
            return cls(MonthlyLines(starts, last=last), [])
        # A forked child must open its own connection, never use the parent's socket.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        running: list[tuple[BaseProcess, Connection]] = []
        for share in split_by_employer(starts, last=last, parts=workers):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_serve, args=(child_end, MonthlyLines(share, last=last)), daemon=True)
            process.start()
            child_end.close()
            running.append((process, parent_end))
        return cls(None, running)

    def begin(self, first: int, last: int) -> None:
        if self.own is not None:
            self.posted = self.own.post(first, last)
        for _process, pipe in self.workers:
            pipe.send((first, last))

    def finish(self) -> int:
        posted, self.posted = self.posted, 0
        for process, pipe in self.workers:
            try:
                ok, value = pipe.recv()
            except EOFError:
                raise RuntimeError(f"wage-report worker {process.pid} ended without an answer") from None
            if not ok:
                raise RuntimeError(f"wage-report worker {process.pid} failed:\n{value}")
            posted += value
        return posted

    def stop(self) -> None:
        for process, pipe in self.workers:
            with contextlib.suppress(OSError):  # a worker that already failed has closed its end
                pipe.send(None)
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
            pipe.close()
        self.workers = []
