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
    """Rows with a locality and an agency (cadres, baselines): of the locality or of an agency
    there; for an agency scope, of the agency."""
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


# A baseline belongs to a locality or an agency the same way a cadre does.
baselines = cadres


def language_skills(queryset, user):
    """Language skills of the cadres in scope."""
    from cadres.models import Cadre

    scope = scope_of(user)
    if scope.is_national:
        return queryset
    return queryset.filter(cadre__in=cadres(Cadre.objects.all(), user))


def agencies(queryset, user):
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.kind == "locality":
        return queryset.filter(locality_id__in=scope.locality_ids)
    return queryset.filter(pk=scope.agency_id)


def choices(queryset, user):
    """The rows of a related model a scoped user may pick in a form (a cadre's locality or
    agency, an enrolment's course or cadre...). Reference data other than localities is
    not scoped; an agency scope does not restrict localities (its people live anywhere)."""
    from cadres.models import Agency, Cadre
    from courses.models import Course

    model = queryset.model
    if model is Locality:
        scope = scope_of(user)
        if scope.kind == "locality":
            return queryset.filter(pk__in=scope.locality_ids)
        return queryset
    if model is Agency:
        return agencies(queryset, user)
    if model is Cadre:
        return cadres(queryset, user)
    if model is Course:
        return courses(queryset, user)
    return queryset


# The same rules as the filters above, for one (possibly unsaved) object: used to refuse a
# form that would create or move a record out of the user's scope. tests/access checks that
# each predicate agrees with its filter on every persona and object.


def _locality_in(scope, obj):
    return obj is not None and obj.locality_id in scope.locality_ids


def _course_covered(scope, course):
    if scope.kind == "locality":
        return _locality_in(scope, course) or _locality_in(scope, course.organiser)
    return course.organiser_id == scope.agency_id


def _cadre_covered(scope, cadre):
    if scope.kind == "locality":
        return _locality_in(scope, cadre) or _locality_in(scope, cadre.agency)
    return cadre.agency_id == scope.agency_id


def _enrolment_covered(scope, enrolment):
    if scope.kind == "locality":
        return _locality_in(scope, enrolment)
    return enrolment.agency_id == scope.agency_id


def _tally_covered(scope, tally):
    if scope.kind == "locality":
        if tally.locality_id is not None:
            return tally.locality_id in scope.locality_ids
        course = tally.course
        return _locality_in(scope, course) or _locality_in(scope, course.organiser)
    return tally.course.organiser_id == scope.agency_id


def _agency_covered(scope, agency):
    if scope.kind == "locality":
        return _locality_in(scope, agency)
    return agency.pk is not None and agency.pk == scope.agency_id


_COVERS = {
    "courses.course": _course_covered,
    "cadres.cadre": _cadre_covered,
    "cadres.workforcebaseline": _cadre_covered,  # same rule: locality or agency
    "courses.enrolment": _enrolment_covered,
    "courses.participanttally": _tally_covered,
    "cadres.agency": _agency_covered,
    "cadres.languageskill": lambda scope, skill: _cadre_covered(scope, skill.cadre),
}


def covers(user, obj):
    """Whether the object, as it would be saved, lies in the user's scope."""
    scope = scope_of(user)
    if scope.is_national:
        return True
    return _COVERS[obj._meta.label_lower](scope, obj)
