"""Scope of plans and periods: the rule is the models' own (``scope_condition`` of
plans.models.UnitQuerySet, the rule of a workforce baseline), read through ``visible_to`` and
trainingmgr.visibility.covers like every scoped model. These two names stay for callers
written before; new code calls ``Model.objects.visible_to(user)`` and ``covers``."""

from trainingmgr.visibility import covers  # noqa: F401  (re-exported)


def scoped(queryset, user):
    """Plans, lines or periods in the user's scope: ``queryset.visible_to(user)``."""
    return queryset.visible_to(user)
