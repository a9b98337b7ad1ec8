"""The read that finds the likely duplicates among people. Merging two of them moves their
enrolments, so it lives with the enrolments: courses.services.merge_cadres."""

import itertools
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Cadre, NotDuplicate


@dataclass
class DuplicatePair:
    first: Cadre
    second: Cadre
    reasons: list = field(default_factory=list)


def duplicate_pairs(queryset, limit=200):
    """Pairs of cadres of ``queryset`` that are likely one person: the same folded name and
    birth date, or the same email; pairs marked as different people are left out.

    The candidate keys come from two GROUP BY queries, so only the people who share a key
    are read, never all cadres. At most ``limit`` groups of each kind.
    """
    queryset = queryset.order_by()
    name_groups = list(
        queryset.exclude(birth_date=None)
        .values_list("name_key", "birth_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("name_key", "birth_date")[:limit]
    )
    email_groups = list(
        queryset.exclude(email="")
        .values_list("email")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("email")[:limit]
    )
    groups = {}  # (reason, key) -> [cadres]
    name_keys = {(name_key, birth) for name_key, birth, _n in name_groups}
    if name_keys:
        members = queryset.filter(name_key__in={name_key for name_key, _birth in name_keys})
        for cadre in members.order_by("pk"):
            if (cadre.name_key, cadre.birth_date) in name_keys:
                key = ("name", cadre.name_key, cadre.birth_date)
                groups.setdefault(key, []).append(cadre)
    emails = {email for email, _n in email_groups}
    if emails:
        for cadre in queryset.filter(email__in=emails).order_by("pk"):
            groups.setdefault(("email", cadre.email), []).append(cadre)

    pairs = {}
    for key, members in groups.items():
        reason = _("same name and birth date") if key[0] == "name" else _("same email")
        for first, second in itertools.combinations(members, 2):
            pair = pairs.setdefault((first.pk, second.pk), DuplicatePair(first, second))
            pair.reasons.append(reason)
    if pairs:
        ids = {pk for pair_key in pairs for pk in pair_key}
        marked = NotDuplicate.objects.filter(cadre_a__in=ids, cadre_b__in=ids)
        for pair_key in marked.values_list("cadre_a", "cadre_b"):
            pairs.pop(pair_key, None)
    return sorted(pairs.values(), key=lambda pair: (pair.first.name_key, pair.first.pk))
