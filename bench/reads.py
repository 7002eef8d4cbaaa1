"""Member reads: GET /api/v1/me/balance (balance, breakdown and status of every KPJ) for logged-in members with
bearer tokens, served by gunicorn workers with persistent connections, at 1, 8 and 32 concurrent clients (wrk).
Baseline: bench/baseline_app.py on the same gunicorn settings, running the very SQL our endpoint ran for each
token with psycopg. Targets: ≥ 0.5 × baseline requests/s; p99 < 50 ms at 8 clients; the same latency for a
member with one month and one with decades of history.

Both servers run side by side and take turns (ours, the baseline, ours, …; TURNS short runs each at every client
count), and the run with the median requests/s of each side is compared. Measured one after the other, a minute
apart, the two sides met different machines: on a shared 2-core machine the baseline alone moved from 3,406 to
2,351 requests/s at 8 clients between two runs 20 minutes apart, and the ratio with it (0.48 and 0.53;
bench/README.md, 2026-12-07 (last))."""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Result
from bench.server import gunicorn
from bench.wrk import Load, run_wrk

PATH = "/api/v1/me/balance"
MEMBERS = 50
HISTORY_TURNS = 3
TURNS = 3


def _median(loads: list[Load]) -> Load:
    """The run with the median requests/s."""
    return sorted(loads, key=lambda load: load.requests_per_second)[len(loads) // 2]


def _tokens_and_replay(persons: list[Any]) -> tuple[list[str], dict[str, list[tuple[str, Any]]]]:
    from django.db import connection
    from django.test import Client

    from jaminanku.accounts.login.tokens import issue_api_token
    from jaminanku.accounts.models import MemberProfile
    from jaminanku.accounts.services import create_account_for_demo

    client = Client()
    tokens: list[str] = []
    replay: dict[str, list[tuple[str, Any]]] = {}
    for person in persons:
        profile = MemberProfile.objects.filter(person=person).select_related("user").first()
        user = (
            profile.user
            if profile
            else create_account_for_demo(
                person=person,
                email=f"baca{person.pk}@contoh.id",
                phone=f"+62815{person.pk % 100_000_000:08d}",
                password="Bench-Baca-2026!",
            )
        )
        token = issue_api_token(user=user, label="bench")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get(PATH, headers=headers).status_code == 200
        recorded: list[tuple[str, Any]] = []

        def record(
            execute: Any, sql: str, params: Any, many: bool, context: Any, recorded: list[Any] = recorded
        ) -> Any:
            recorded.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            assert client.get(PATH, headers=headers).status_code == 200
        tokens.append(token)
        replay[token] = recorded
    return tokens, replay


def _history_extremes() -> list[Any]:
    """A person with one month of history and one with the longest, both with a single KPJ."""
    from django.db.models import Count

    from jaminanku.registry.models import Employment, Person

    single = Person.objects.annotate(kpjs=Count("memberships")).filter(kpjs=1)
    oldest = Employment.objects.filter(membership__person__in=single, membership__segment="PU").order_by("start")
    newest = oldest.filter(end__isnull=True).order_by("-start")
    return [
        Person.objects.get(pk=oldest.values_list("membership__person", flat=True)[0]),
        Person.objects.get(pk=newest.values_list("membership__person", flat=True)[0]),
    ]


def run(*, quick: bool) -> list[Result]:
    from django.db import connection

    from jaminanku.registry.models import Person

    assert connection.vendor == "postgresql", "the read benchmark needs PostgreSQL (make bench)"
    seconds = 2 if quick else 5  # each turn's; TURNS turns a side
    history_seconds = 2 if quick else 5
    persons = list(
        Person.objects.filter(memberships__segment="PU").distinct().order_by("pk")[: (10 if quick else MEMBERS)]
    )
    tokens, replay = _tokens_and_replay(persons)
    long_person, short_person = _history_extremes()
    (long_token,), long_replay = _tokens_and_replay([long_person])
    (short_token,), short_replay = _tokens_and_replay([short_person])
    replay |= long_replay | short_replay
    params = connection.get_connection_params()
    dsn = " ".join(f"{k}={v}" for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"} and v)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        replay_file = Path(tmp) / "replay.pickle"
        replay_file.write_bytes(pickle.dumps(replay))
        replay_env = {"BENCH_REPLAY": str(replay_file), "BENCH_DSN": dsn}
        turns: dict[str, dict[int, list[Load]]] = {"ours": {}, "baseline": {}}
        with contextlib.ExitStack() as servers:
            urls = {
                "ours": servers.enter_context(gunicorn(workers=2, threads=4)),
                "baseline": servers.enter_context(
                    gunicorn(workers=2, threads=4, app="bench.baseline_app:application", env=replay_env)
                ),
            }
            for clients in (1, 8, 32):
                for _turn in range(TURNS):
                    for side, url in urls.items():
                        load = run_wrk(url, PATH, tokens, clients=clients, seconds=seconds)
                        turns[side].setdefault(clients, []).append(load)
            # one token each, in turns: a single run of a few seconds swung by a third on a busy machine (0.71
            # and 1.05 in two runs of the same code), more than any difference between the two members
            shorts, longs = [], []
            for _turn in range(HISTORY_TURNS):
                shorts.append(run_wrk(urls["ours"], PATH, [short_token], clients=8, seconds=history_seconds))
                longs.append(run_wrk(urls["ours"], PATH, [long_token], clients=8, seconds=history_seconds))
            short, long_ = _median(shorts), _median(longs)
    for clients in (1, 8, 32):
        ours, base = _median(turns["ours"][clients]), _median(turns["baseline"][clients])
        ratio = ours.requests_per_second / base.requests_per_second
        met = ratio >= 0.5 and ours.errors == 0 and (clients != 8 or ours.p99_ms < 50)
        results.append(
            Result(
                name=f"reads-{clients}",
                title=f"Member reads, {clients} client{'s' if clients > 1 else ''}",
                unit="requests/s",
                ours=ours.requests_per_second,
                baseline=base.requests_per_second,
                target="ratio ≥ 0.5" + (", p99 < 50 ms" if clients == 8 else ""),
                met=met,
                size={"members": len(tokens), "seconds": seconds, "turns": TURNS},
                details={
                    "ours": vars(ours),
                    "baseline": vars(base),
                    "ours_runs": [load.requests_per_second for load in turns["ours"][clients]],
                    "baseline_runs": [load.requests_per_second for load in turns["baseline"][clients]],
                    "queries_per_request": len(replay[tokens[0]]),
                },
            )
        )
    results.append(
        Result(
            name="reads-history",
            title="Member reads, 1 month vs longest history (8 clients)",
            unit="requests/s",
            ours=long_.requests_per_second,
            baseline=short.requests_per_second,
            target="ratio ≥ 0.9 (same latency)",
            met=long_.requests_per_second >= 0.9 * short.requests_per_second,
            details={
                "long": vars(long_),
                "short": vars(short),
                "turns": HISTORY_TURNS,
                "long_runs": [load.requests_per_second for load in longs],
                "short_runs": [load.requests_per_second for load in shorts],
                "long_queries": len(long_replay[long_token]),
                "short_queries": len(short_replay[short_token]),
            },
        )
    )
    return results
