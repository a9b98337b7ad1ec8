"""Uploads waiting between preview and confirmation, kept private and not for long.

A previewed sheet is stored under ``settings.DATA_DIR / "pending-uploads"`` (a 0700 folder;
each file 0600, written by the app's user only) under a random token, and deleted when the
import is confirmed or cancelled, or when it is older than
``settings.IMPORT_PENDING_MAX_AGE_HOURS`` (``manage.py purge_pending_uploads``, and a clean-up
at each new upload). The API is small so that callers (the admin's upload flow, a background
import task) do not handle paths themselves:

- ``store(uploaded_file) -> token``
- ``path(token) -> Path | None`` and ``open(token)`` (a binary file, or FileNotFoundError)
- ``discard(token)``
- ``purge(older_than=None) -> number of files deleted``
"""

import builtins
import datetime
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SUFFIXES = (".csv", ".xlsx")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def folder():
    """The private folder, created 0700 (and set back to 0700 if it was loosened)."""
    base = Path(settings.DATA_DIR) / "pending-uploads"
    base.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if base.stat().st_mode & 0o777 != FOLDER_MODE:
        base.chmod(FOLDER_MODE)
    return base


def max_age():
    return datetime.timedelta(hours=settings.IMPORT_PENDING_MAX_AGE_HOURS)


def store(uploaded_file):
    """Keep an uploaded file (anything with ``name`` and ``chunks()``, or ``read()``); return
    its token. Files older than the configured age are purged first."""
    purge()
    token = secrets.token_hex(16)
    name = getattr(uploaded_file, "name", "") or ""
    suffix = ".csv" if name.lower().endswith(".csv") else ".xlsx"
    target = folder() / f"{token}{suffix}"
    # O_EXCL: never write through a file or link someone else put there.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as out:
        if hasattr(uploaded_file, "chunks"):
            for chunk in uploaded_file.chunks():
                out.write(chunk)
        else:
            out.write(uploaded_file.read())
    os.chmod(target, FILE_MODE)  # whatever the umask
    return token


def path(token):
    """The stored file of a token, or None (unknown, malformed, expired or deleted)."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    base = folder()
    for suffix in SUFFIXES:
        candidate = base / f"{token}{suffix}"
        if candidate.is_file():
            if _age(candidate) > max_age():
                candidate.unlink(missing_ok=True)
                return None
            return candidate
    return None


def open(token):
    found = path(token)
    if found is None:
        raise FileNotFoundError(token)
    return builtins.open(found, "rb")


def discard(token):
    """Delete a token's file (after confirmation or cancellation); unknown tokens are fine."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return
    base = folder()
    for suffix in SUFFIXES:
        (base / f"{token}{suffix}").unlink(missing_ok=True)


def purge(older_than=None):
    """Delete the pending files older than ``older_than`` (a timedelta; default the
    configured maximum age). Returns how many were deleted."""
    older_than = max_age() if older_than is None else older_than
    deleted = 0
    for candidate in folder().iterdir():
        if candidate.is_file() and _age(candidate) >= older_than:
            candidate.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _age(file_path):
    try:
        modified = file_path.stat().st_mtime
    except FileNotFoundError:
        return datetime.timedelta(0)
    return datetime.timedelta(seconds=max(time.time() - modified, 0))
