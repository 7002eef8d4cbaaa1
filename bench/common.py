"""Shared parts of the benchmarks: Django set-up, timing, machine facts, and the result files.

Every benchmark measures its own baseline in the same run and reports `ratio = ours / baseline`, because
absolute times on a shared machine drift from run to run while ratios hold.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaminanku.settings")
    import django

    django.setup()


class _Rollback(Exception):
    pass


def in_rollback(action: Callable[[], Any]) -> Any:
    """`action()`'s value, its writes rolled back, so a benchmark leaves the database as it found it."""
    from django.db import transaction

    holder: dict[str, Any] = {}
    try:
        with transaction.atomic():
            holder["value"] = action()
            raise _Rollback
    except _Rollback:
        pass
    return holder["value"]


@dataclass
class Result:
    name: str
    title: str
    unit: str  # what `ours` and `baseline` count, e.g. "rows/s"
    ours: float
    baseline: float
    target: str  # in words, e.g. "ratio ≥ 0.3"
    met: bool
    size: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else 0.0


def machine() -> dict[str, Any]:
    from django.db import connection

    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": _database(connection),
        "platform": platform.platform(),
    }


def _database(connection: Any) -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    version = connection.cursor().connection.info.server_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def rate(count: int, action: Callable[[], Any]) -> float:
    """Runs `action` once and returns count / seconds."""
    started = time.perf_counter()
    action()
    return count / (time.perf_counter() - started)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def write(result: Result, info: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{result.name}.json"
    body = {**asdict(result), "ratio": round(result.ratio, 3), "machine": info}
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def summary(results: list[Result], info: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark results, {info['date']}",
        "",
        f"Machine: {info['cpus']} CPUs, {info['platform']}, Python {info['python']}, {info['database']}.",
        "",
        "| benchmark | ours | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.title} | {r.ours:,.1f} {r.unit} | {r.baseline:,.1f} {r.unit} | {r.ratio:.2f} | {r.target} | "
            f"{'yes' if r.met else '**no**'} |"
        )
    return "\n".join(lines) + "\n"
