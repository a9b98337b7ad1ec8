"""trainingmgr.collector: fewer garbage collections around a batch job, and all restored; a
one-shot process ends without the teardown's collections."""

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from trainingmgr.collector import BATCH_THRESHOLD, fewer_collections

ROOT = Path(__file__).resolve().parent.parent


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


# A process that opens the database inside ending_process and leaves with the status given.
_ENDING = """
import atexit, gc, sys
import django
django.setup()
from django.db import connection
from trainingmgr.collector import ending_process

def at_exit():  # what the exit handlers see: they still run, after the freeze and the close
    print("frozen" if gc.get_freeze_count() else "walked",
          "closed" if connection.connection is None else "open")

atexit.register(at_exit)
with ending_process():
    connection.ensure_connection()
    print("inside")
    if sys.argv[1] == "error":
        raise RuntimeError("the job failed")
    sys.exit(int(sys.argv[1]))
"""


@pytest.mark.parametrize(("how", "status"), [("0", 0), ("1", 1), ("error", 1)])
def test_a_process_ends_with_its_status_its_connections_closed_and_nothing_to_walk(
    tmp_path, how, status
):
    database = tmp_path / "ending.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingmgr.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_LOGINS_DATABASE": str(tmp_path / "ending-logins.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTHONUNBUFFERED", None)  # the output to a pipe is buffered, and still all there
    done = subprocess.run(
        [sys.executable, "-c", _ENDING, how],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == status, done.stderr
    assert done.stdout.split("\n")[:2] == ["inside", "frozen closed"]
    assert ("RuntimeError: the job failed" in done.stderr) == (how == "error")
    assert database.exists()
    # Closed before the end: SQLite checkpointed its write-ahead log and removed it.
    assert not Path(f"{database}-wal").exists()
