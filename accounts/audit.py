"""Who saw personal data: one call for every place that shows or hands out unmasked ID numbers
or birth dates (admin pages, exports, the API, documents such as the training record).

    from accounts.audit import record_personal_data_access
    record_personal_data_access(request, Cadre, [cadre.pk], "page")
    record_personal_data_access(request, Enrolment, count=len(rows), channel="export")

Rows go to accounts.PersonalDataAccess (who, when, what, how, from which address), are kept
settings.PERSONAL_DATA_LOG_DAYS days (``manage.py purge_personal_data_log``) and are shown to
administrators only, read-only, in the admin. On SQLite they are written to the logins file
(trainingmgr/routers.py), which no import locks: a page that shows personal data never waits
for an import's write lock, and is still never shown without its entry.
"""

import contextlib
import datetime
import logging

from django.conf import settings
from django.db import models as db_models
from django.utils import timezone

from .models import PersonalDataAccess

log = logging.getLogger(__name__)

# Beyond this many ids (a large export) only the count is kept.
MAX_IDS = 1000
CHANNELS = frozenset(PersonalDataAccess.Channel.values)


def model_label(model):
    if isinstance(model, str):
        return model
    if isinstance(model, db_models.Model | type):
        return model._meta.label
    return str(model)


def client_address(request):
    """The client's address by the same rules as the login lock-out (docs/DEPLOY.md)."""
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except Exception:  # a malformed header must not break the page being shown
        address = None
    return address or request.META.get("REMOTE_ADDR") or None


def record_personal_data_access(request, model, ids=None, channel="page", count=None):
    """Record that the request's user was shown or sent unmasked personal data of ``model``
    (a model class, instance or "app.Model" label): ``ids`` the records' primary keys, or
    ``count`` alone when they are too many to name. ``channel`` is "page", "export", "api" or
    "document". The same (model, ids, channel) is recorded once per request. Returns the row
    (or None when nothing was recorded)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; one of {sorted(CHANNELS)}")
    ids = [] if ids is None else [_plain(pk) for pk in ids]
    count = len(ids) if count is None else int(count)
    if count <= 0 and not ids:
        return None
    label = model_label(model)
    key = (label, tuple(ids[:MAX_IDS]), count, channel)
    seen = getattr(request, "_personal_data_recorded", None)
    if seen is None:
        seen = set()
        with contextlib.suppress(AttributeError):
            request._personal_data_recorded = seen
    if key in seen:
        return None
    seen.add(key)
    user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return PersonalDataAccess.objects.create(
        user_id=user.pk if user is not None else None,
        username=(user.get_username() if user is not None else "")[:150],
        model=label[:100],
        object_ids=ids[:MAX_IDS] if len(ids) <= MAX_IDS else [],
        count=count,
        channel=channel,
        path=(getattr(request, "get_full_path", lambda: "")() or "")[:500],
        ip_address=_valid_address(client_address(request)),
    )


def purge(days=None, now=None):
    """Delete the rows older than ``days`` (default PERSONAL_DATA_LOG_DAYS); returns how many."""
    days = settings.PERSONAL_DATA_LOG_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _by_model = PersonalDataAccess.objects.filter(at__lt=cutoff).delete()
    return deleted


def _plain(pk):
    return pk if isinstance(pk, int | str) else str(pk)


def _valid_address(address):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    if not address:
        return None
    try:
        validate_ipv46_address(str(address))
    except ValidationError:
        return None
    return str(address)
