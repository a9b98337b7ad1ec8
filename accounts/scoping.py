"""The one place that says which rows a user's scope covers.

Admin lists, change pages, autocomplete, exports, imports and reports all filter through these
functions, so a Lào Cai clerk sees the same slice of the data everywhere.

- Locality scope: the current unit and the former provinces merged into it. Cadres of that
  locality (or of an agency there), enrolments whose participant was from there, courses held
  there or organised by an agency there, tallies counted for there (or without a locality, on
  a course in scope), baselines of the locality or of its agencies.
- Agency scope: that agency's cadres and enrolments, the courses it organises and their
  tallies, its baselines.
"""

from dataclasses import dataclass

from django.db.models import Q

from cadres.models import Locality


@dataclass(frozen=True)
class Scope:
    kind: str  # "national", "locality" or "agency"
    label: str = ""
    locality_ids: frozenset = frozenset()
    locality_code: str = ""
    agency_id: int | None = None

    @property
    def is_national(self):
        return self.kind == "national"


NATIONAL = Scope(kind="national")


def scope_of(user):
    """The user's scope; superusers and users without a scope row are national."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return NATIONAL
    cached = getattr(user, "_trainingmgr_scope", None)
    if cached is not None:
        return cached
    from accounts.models import AccessScope

    row = AccessScope.objects.select_related("locality", "agency").filter(user=user).first()
    if row is None or row.kind == AccessScope.Kind.NATIONAL:
        scope = NATIONAL
    elif row.kind == AccessScope.Kind.LOCALITY:
        ids = {row.locality_id} | set(
            Locality.objects.filter(successor_id=row.locality_id).values_list("id", flat=True)
        )
        scope = Scope(
            kind="locality",
            label=row.locality.name,
            locality_ids=frozenset(ids),
            locality_code=row.locality.code,
        )
    else:
        scope = Scope(kind="agency", label=str(row.agency), agency_id=row.agency_id)
    user._trainingmgr_scope = scope
    return scope


def course_condition(scope):
    if scope.kind == "locality":
        return Q(locality_id__in=scope.locality_ids) | Q(
            organiser__locality_id__in=scope.locality_ids
        )
    return Q(organiser_id=scope.agency_id)


def courses(queryset, user):
    scope = scope_of(user)
    return queryset if scope.is_national else queryset.filter(course_condition(scope))


def cadres(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(
            Q(locality_id__in=scope.locality_ids) | Q(agency__locality_id__in=scope.locality_ids)
        )
    return queryset.filter(agency_id=scope.agency_id)


def enrolments(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(locality_id__in=scope.locality_ids)
    return queryset.filter(agency_id=scope.agency_id)


def tallies(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(
            Q(locality_id__in=scope.locality_ids)
            | Q(locality__isnull=True, course__locality_id__in=scope.locality_ids)
            | Q(locality__isnull=True, course__organiser__locality_id__in=scope.locality_ids)
        )
    return queryset.filter(course__organiser_id=scope.agency_id)


def baselines(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(
            Q(locality_id__in=scope.locality_ids) | Q(agency__locality_id__in=scope.locality_ids)
        )
    return queryset.filter(agency_id=scope.agency_id)


def agencies(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(locality_id__in=scope.locality_ids)
    return queryset.filter(pk=scope.agency_id)
