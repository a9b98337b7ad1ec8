"""The import command's workbook, checked and parsed while Django starts.

``manage.py import_spreadsheet KIND FILE.xlsx`` spends about a second starting Django before
it reads the file, and parsing a 50,000-row workbook takes about as long (python-calamine,
which parses without holding the GIL). So manage.py calls ``start`` before Django's set-up,
before even Django is imported (this module and imports.reading import none of it): it
checks the workbook at once, under the default limits (reading.check_xlsx: a fifth of a
second, mostly Python holding the GIL, so best done before Django's set-up rather than
against it), then a thread parses it on the other core while Django starts. The import
takes the parsed sheet (``take``, from reading.open_rows) only when it is that file,
unchanged, and the limits in force when it is read are those it was checked under (settings
or ``--max-rows`` may change them). A deployment that sets limits below the defaults in its
settings still has this parse bounded by the defaults (the memory bound the defaults were
chosen for), not by its own: the import then refuses the file under its own limits, with its
message. Otherwise, and whenever
the check or the parse failed in any way, the import reads the file itself as it always
does, and gives the message of what is wrong: the read-ahead says nothing. Nothing is
parsed before its checks pass. The web upload never uses this: its process has started
long before.
"""

import os
import threading

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
        self.choice = None  # the sheet check_xlsx checked: the one parsed

    def open(self):
        return open(self.path, "rb")  # the stream the reading functions read and close

    def check(self):
        """Whether the file passes its checks (in the caller's thread): over the upload
        limit or refused, it is not parsed here, and the import gives the message."""
        if self.identity[1] > self.max_bytes:
            return False
        try:
            self.choice = reading.check_xlsx(self.open, "", self.limits)
        except Exception:  # refused (its message needs Django: the import gives it)
            return False
        return True

    def run(self):
        try:
            self.sheet = reading.parse_checked_xlsx(self.open, "", self.choice)
        except BaseException:  # a reader's panic too: the import reads the file again
            self.sheet = None  # itself and gives the message


def start(args):
    """Before Django's set-up: read ahead each existing .xlsx named in the arguments of
    ``import_spreadsheet`` (``args``: what follows the command's name). Never raises."""
    try:
        limits = dict(reading.DEFAULT_LIMITS)  # the settings are not loaded yet (take)
        max_bytes = limits["MAX_UPLOAD_BYTES"]
        for arg in args:
            if arg.lower().endswith(XLSX) and os.path.isfile(arg):
                path = os.path.realpath(arg)
                if path not in _started:
                    job = _ReadAhead(path, limits, max_bytes)
                    if job.check():
                        _started[path] = job
                        job.start()
    except Exception:  # noqa: S110 - an optimisation only: Django reports the errors
        pass


def take(source):
    """The sheet read ahead for this path (waiting for it): a reading.CheckedSheet, the sheet
    check_xlsx checked; or None: a file not read ahead, changed since, read under other
    limits, or whose reading failed."""
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
