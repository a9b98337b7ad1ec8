"""The import command's workbook, checked and parsed while Django starts.

``manage.py import_spreadsheet KIND FILE.xlsx`` spends about a second starting Django before
it reads the file, and checking and parsing a 50,000-row workbook takes about as long
(reading.check_xlsx, then python-calamine, which parses without holding the GIL). So
manage.py calls ``start`` before Django's set-up: a thread runs the same checks and the
parse on the other core. The import takes the parsed sheet (``take``, from
reading.open_rows) only when it is that file, unchanged, checked under the limits in force
when it is read (``--max-rows`` may change them). Otherwise, and whenever the thread failed
in any way, the import reads the file itself as it always does, and gives the message of
what is wrong: the thread says nothing. Nothing is parsed before its checks pass. The web
upload never uses this: its process has started long before.
"""

import os
import threading

from django.conf import settings

from . import reading

_started = {}  # real path -> _ReadAhead
XLSX = (".xlsx", ".xlsm")


def _identity(path):
    stat = os.stat(path)
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class _ReadAhead(threading.Thread):
    def __init__(self, path, limits, max_bytes):
        super().__init__(name="read-ahead", daemon=True)
        self.path = path
        self.limits = limits
        self.max_bytes = max_bytes
        self.identity = _identity(path)
        self.sheet = None

    def open(self):
        return open(self.path, "rb")  # the stream reading.parse_xlsx reads and closes

    def run(self):
        try:
            if self.identity[1] > self.max_bytes:
                return  # over the upload limit: the import says so
            self.sheet = reading.parse_xlsx(self.open, "")
        except BaseException:  # a reader's panic too: the import reads the file again
            self.sheet = None  # itself and gives the message


def start(args):
    """Before Django's set-up: read ahead each existing .xlsx named in the arguments of
    ``import_spreadsheet`` (``args``: what follows the command's name). Never raises."""
    try:
        limits = reading.limits_now()  # in this thread: the settings are loaded once
        max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
        for arg in args:
            if arg.lower().endswith(XLSX) and os.path.isfile(arg):
                path = os.path.realpath(arg)
                if path not in _started:
                    job = _started[path] = _ReadAhead(path, limits, max_bytes)
                    job.start()
    except Exception:  # noqa: S110 - an optimisation only: Django reports the errors
        pass


def take(source):
    """The sheet read ahead for this path (waiting for it), or None: a file not read ahead,
    changed since, read under other limits, or whose reading failed."""
    if not _started or not isinstance(source, (str, os.PathLike)):
        return None
    job = _started.pop(os.path.realpath(source), None)
    if job is None:
        return None
    job.join()
    try:
        same = job.identity == _identity(job.path)
    except OSError:
        return None
    if not same or job.limits != reading.limits_now():
        return None
    return job.sheet
