"""trainingmgr.collector: fewer garbage collections around a batch job, and all restored."""

import gc
import weakref

import pytest

from trainingmgr.collector import BATCH_THRESHOLD, fewer_collections


class _Node:
    pass


def test_inside_the_collector_runs_less_often_and_what_existed_is_frozen():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= BATCH_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_everything_is_restored_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the job failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_are_still_collected():
    with fewer_collections():
        node = _Node()
        node.itself = node  # a reference cycle: only the cyclic collector frees it
        alive = weakref.ref(node)
        del node
        gc.collect()
        assert alive() is None
