"""Python's cyclic garbage collector, run less often around a long batch job."""

import gc
from contextlib import contextmanager

# The first generation is collected after this many new objects (Python's default: 700).
BATCH_THRESHOLD = 50_000


@contextmanager
def fewer_collections():
    """Around an import or a revert in a process that runs one job at a time (the
    import_spreadsheet command, a job of the task worker). Such a job allocates millions of
    objects that live until it ends, and every collection walks them again: 0.34 s of a
    50,000-row import went in collections (docs/PERFORMANCE.md, round 7). Inside, what
    existed before is frozen (never walked) and the first generation is collected every
    BATCH_THRESHOLD allocations. Cycles are still collected, only less often; everything is
    restored on leaving."""
    thresholds = gc.get_threshold()
    # A process that froze objects itself (a preforking server) keeps its freeze: unfreezing
    # would undo it, so such a process only gets the higher threshold.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(BATCH_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


@contextmanager
def ending_process():
    """Around the whole of a process that ends after one job (manage.py import_spreadsheet).

    However it leaves (its summary, an exit status, an error), the database connections are
    closed and every object is then frozen. The interpreter's teardown runs full collections
    over every object of Django's thousand modules: 0.25-0.3 s of each command, whatever the
    file (docs/PERFORMANCE.md, round 8).
    Frozen objects are not walked; exit handlers, threads and the freeing of memory still
    run as they would. What the teardown would have collected is a reference cycle, whose
    finalizer then does not run: the connections, the one thing that matters at the end
    (SQLite checkpoints its write-ahead log on closing), are closed first."""
    try:
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django never started (bad settings): nothing open
            pass
        gc.freeze()
