"""`manage.py seed_demo --persons N --seed S`: a deterministic demo population posted through the real services."""

from __future__ import annotations

import os
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jaminanku.demo.seed import DemoSeeder
from jaminanku.registry.models import Person


class Command(BaseCommand):
    help = "Loads a deterministic, realistic demo population (registry and wage history)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="the month the demo is 'now' (YYYY-MM-DD; default: this month)",
        )
        parser.add_argument(
            "--accounts",
            type=int,
            default=None,
            help="how many persons get a member account (default: 1%%, at most 100)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes posting the wage reports (default: 2 from 10,000 persons on PostgreSQL, else 1)",
        )

    def handle(
        self,
        *args: Any,
        persons: int,
        seed: int,
        as_of: date | None,
        accounts: int | None,
        workers: int | None,
        **options: Any,
    ) -> None:
        if Person.objects.exists():
            raise CommandError("The registry is not empty; seed_demo loads into an empty database.")
        # SQLite takes one writer at a time, and other processes cannot see what an open transaction wrote.
        concurrent = connection.vendor == "postgresql" and not connection.in_atomic_block
        if workers is None:
            # Two from 10,000 persons, where they were measured to halve the time; a small seed gains little and
            # may run beside other threads' connections (a live test server), which a forked worker must not share.
            workers = 2 if concurrent and persons >= 10_000 and (os.cpu_count() or 1) >= 2 else 1
        elif workers < 1 or (workers > 1 and not concurrent):
            raise CommandError("--workers must be 1, or more on PostgreSQL outside a transaction.")
        if accounts is None:
            accounts = min(100, max(1, persons // 100))
        started = time.monotonic()
        seeder = DemoSeeder(
            persons=persons, seed=seed, as_of=as_of or date.today(), workers=workers, say=self.stdout.write
        )
        report = seeder.run(accounts=accounts)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo loaded in {elapsed:.1f} s: {report.persons} persons, {report.memberships} memberships, "
            f"{report.employers} employers, {report.contributions_posted} contributions over "
            f"{report.periods_posted} months, {report.claims} claims, {report.years_credited} years credited, "
            f"{report.accounts} member accounts; wage reports posted by {workers} process(es)."
        )
