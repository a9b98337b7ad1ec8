"""Scope by user, under the names the rest of the code has always called.

The rules live once, next to each model, in its QuerySet's ``scope_condition()`` (read through
``Model.objects.visible_to(user)``; trainingmgr/visibility.py has the machinery). These
functions are thin wrappers kept for the callers that already use them:

- Locality scope: the current unit and the former provinces merged into it. Cadres of that
  locality (or of an agency there), enrolments whose participant was from there, courses held
  there or organised by an agency there, tallies counted for there (or without a locality, on
  a course in scope), baselines of the locality or of its agencies.
- Agency scope: that agency's cadres and enrolments, the courses it organises and their
  tallies, its baselines.

Deny by default: an anonymous or inactive user sees nothing; ``user=None`` is the command line.
"""

from django.apps import apps

from trainingmgr.visibility import NATIONAL, NOTHING, Scope, scope_of  # noqa: F401
from trainingmgr.visibility import covers as _covers


def visible(queryset, user):
    """The rows of the queryset the user may see, by the rule of its model."""
    return queryset.visible_to(user)


def course_condition(scope):
    """The scope rule of a course (courses.models.course_condition), read through the app
    registry: accounts sits below the domain apps and imports none of them."""
    return apps.get_model("courses", "Course").objects.none().scope_condition(scope, None)


courses = visible
cadres = visible
enrolments = visible
tallies = visible
baselines = visible
language_skills = visible
agencies = visible


def choices(queryset, user):
    """The rows of a related model a scoped user may pick in a form (a cadre's locality or
    agency, an enrolment's course or cadre...). Reference data other than localities is
    not scoped; an agency scope does not restrict localities (its people live anywhere)."""
    if queryset.model._meta.label == "cadres.Locality":
        scope = scope_of(user)
        if scope.kind == "locality":
            return queryset.filter(pk__in=scope.locality_ids)
        return queryset
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


def covers(user, obj):
    """Whether the object, as it would be saved, lies in the user's scope: the same rule as
    ``visible_to``, evaluated on the object (trainingmgr.visibility.covers)."""
    return _covers(user, obj)
