"""Backups restore: the documented round trip leaves the report byte-for-byte the same."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres")
    and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="only SQLite and PostgreSQL are supported",
)
def test_backup_wipe_restore_gives_back_the_same_report():
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser fixture
    env["PYTHON"] = sys.executable
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)  # the script then uses a temporary SQLite file
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check-backup-restore")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical before and after" in result.stdout
