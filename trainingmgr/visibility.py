"""Who may see which rows: the scope of a user, and the QuerySet base whose ``visible_to(user)``
every scoped model uses (NetBox's ``RestrictedQuerySet.restrict()`` pattern).

The rules themselves live next to each model, as one ``scope_condition(scope, user)`` method
of its QuerySet returning a ``Q``. The same ``Q`` answers both questions:

- which rows may this user see? ``Model.objects.visible_to(user)`` filters by it;
- would this (possibly unsaved) object lie in the user's scope? ``covers(user, obj)``
  evaluates the same ``Q`` on the object's attributes in Python (``matches``), so that forms
  and imports can refuse a row before it is written.

Deny by default: a QuerySet that defines no condition, an anonymous or inactive user, or a
scope of an unknown kind sees nothing. ``user=None`` is the command line (a trusted operator,
national), as before.

This module sits at the bottom: it imports no app; the scope row and localities are looked up
through the app registry.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    kind: str  # "national", "locality" or "agency" (anything else sees nothing)
    label: str = ""
    locality_ids: frozenset = frozenset()
    locality_code: str = ""
    agency_id: int | None = None

    @property
    def is_national(self):
        return self.kind == "national"


NATIONAL = Scope(kind="national")
NOTHING = Scope(kind="none")


def scope_of(user):
    """The user's scope; superusers, users without a scope row and the command line (None)
    are national."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return NATIONAL
    cached = getattr(user, "_trainingmgr_scope", None)
    if cached is not None:
        return cached
    access_scope = apps.get_model("accounts", "AccessScope")
    locality = apps.get_model("cadres", "Locality")
    row = access_scope.objects.select_related("locality", "agency").filter(user=user).first()
    if row is None or row.kind == "national":
        scope = NATIONAL
    elif row.kind == "locality":
        ids = locality.objects.unit_ids(row.locality_id)
        scope = Scope(
            kind="locality",
            label=row.locality.name,
            locality_ids=frozenset(ids),
            locality_code=row.locality.code,
        )
    elif row.kind == "agency":
        scope = Scope(kind="agency", label=str(row.agency), agency_id=row.agency_id)
    else:
        scope = NOTHING
    user._trainingmgr_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that can say which of its rows a user may see."""

    def scope_condition(self, scope, user):
        """The rows of a non-national scope, as a Q; None means none (deny by default)."""
        return None

    def visible_to(self, user):
        if user is None:  # the command line
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        scope = scope_of(user)
        if scope.is_national:
            return self.all()
        condition = self.scope_condition(scope, user) if scope.kind != NOTHING.kind else None
        return self.none() if condition is None else self.filter(condition)


def covers(user, obj):
    """Whether the object, as it would be saved, lies in the user's scope: the model's own
    ``scope_condition`` evaluated on the object."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    scope = scope_of(user)
    if scope.is_national:
        return True
    queryset = type(obj)._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet) or scope.kind == NOTHING.kind:
        return False
    condition = queryset.scope_condition(scope, user)
    return condition is not None and matches(obj, condition)


def prefixed(condition, prefix):
    """The condition of a related model, seen from a model that points to it (``cadre__``)."""
    result = Q()
    result.connector, result.negated = condition.connector, condition.negated
    result.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return result


_LOOKUPS = {
    "exact": lambda value, wanted: value is not None and value == wanted,
    "in": lambda value, wanted: value is not None and value in wanted,
    "isnull": lambda value, wanted: (value is None) == bool(wanted),
}


def matches(obj, condition):
    """Evaluate a Q of the lookups the scope rules use (exact, in, isnull; paths through
    foreign keys) on an object's attributes, with SQL's meaning of NULL."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(matches(obj, child))
            continue
        path, wanted = child
        parts = path.split("__")
        lookup = parts.pop() if parts[-1] in _LOOKUPS else "exact"
        if lookup not in _LOOKUPS or not parts:
            raise ValueError(f"unsupported scope lookup: {path}")
        value = obj
        for part in parts:
            if value is None:
                break
            try:
                value = getattr(value, part)
            except ObjectDoesNotExist:
                value = None
        results.append(_LOOKUPS[lookup](value, wanted))
    result = all(results) if condition.connector == Q.AND else any(results)
    return not result if condition.negated else result
