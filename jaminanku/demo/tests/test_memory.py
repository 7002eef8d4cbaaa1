"""The cyclic garbage collector is paused while the demo history is posted, each month's cycles are still freed,
and the collector is back as it was afterwards."""

import gc
import weakref
from datetime import date

import pytest
from django.core.management import call_command

from jaminanku.demo import seed
from jaminanku.demo.memory import cycle_collection_paused, month_done


class Node:
    def __init__(self) -> None:
        self.me = self


def test_inside_the_block_the_heap_is_frozen_and_collection_is_off_until_the_way_out():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 1000  # every object alive at the start, Django's included
        raise RuntimeError("a worker failed")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_end_of_a_month_frees_the_cycles_made_during_it():
    with cycle_collection_paused():
        node = Node()
        alive = weakref.ref(node)
        del node
        for _ in range(10_000):  # enough allocations to have triggered a collection were it on
            Node.__init__(object.__new__(Node))
        assert alive() is not None
        month_done()
        assert alive() is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reload_reference_data")
def test_seeding_posts_its_history_with_the_collector_paused(monkeypatch):
    states: list[bool] = []

    def recording() -> None:
        states.append(gc.isenabled())
        month_done()

    monkeypatch.setattr(seed, "month_done", recording)
    call_command("seed_demo", persons=40, seed=3, as_of=date(2026, 5, 1), accounts=0, workers=1)
    assert states and not any(states)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
