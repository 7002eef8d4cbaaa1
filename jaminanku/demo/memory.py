"""The seeder's Python heap: the cyclic garbage collector paused while the history is posted.

Why: the demo population (a million persons with their jobs, some ten million objects) stays alive for the
whole seeding, and every month's wage-report rows live long enough to reach the oldest generation, so the
collector kept walking the whole population again: at 30,000 persons in one process, 118 full collections, and
pausing them cut the seeding's Python CPU from 77 to 59 s (bench/README.md). The rows free themselves by
reference counting (they hold no cycles); the population is frozen out of the collector's sight, collection is
paused for the history, and each month (or each span of months posted at once) ends with a collection of the
young generations only, so a cycle made by a library along the way is still freed within it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Inside the block every object alive at its start is frozen (never scanned) and automatic collection is
    off; `month_done()` collects what the month left. Both are undone on the way out, also on an error. Forked
    worker processes inherit the state."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def month_done() -> None:
    """Frees any reference cycle made since the last call (the young generations only: cheap)."""
    gc.collect(1)
