"""Scope of plans and periods (the rule of accounts.scoping, applied to a unit): a locality
scope sees the plans and periods of its locality and of the agencies there; an agency scope
those of its agency."""

from django.db.models import Q

from accounts.scoping import scope_of


def unit_q(scope):
    if scope.kind == "locality":
        return Q(locality_id__in=scope.locality_ids) | Q(agency__locality_id__in=scope.locality_ids)
    return Q(agency_id=scope.agency_id)


def scoped(queryset, user):
    """Plans or periods (anything with a locality or an agency) in the user's scope."""
    scope = scope_of(user)
    return queryset if scope.is_national else queryset.filter(unit_q(scope))


def covers(user, obj):
    """Whether a plan or period, as it would be saved, lies in the user's scope."""
    scope = scope_of(user)
    if scope.is_national:
        return True
    if scope.kind == "locality":
        if obj.locality_id:
            return obj.locality_id in scope.locality_ids
        return obj.agency_id is not None and obj.agency.locality_id in scope.locality_ids
    return obj.agency_id is not None and obj.agency_id == scope.agency_id
