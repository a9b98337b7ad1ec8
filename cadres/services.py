"""Writes about people that touch several models (merging two records of one cadre), and
the read that finds the likely duplicates to merge."""

import itertools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from courses.models import Enrolment
from plans.locks import refuse_locked_merge

from .models import Cadre, NotDuplicate

# Which of two enrolments of one person on one course to keep: the one that got further.
STATUS_PRIORITY = {
    Enrolment.Status.COMPLETED: 4,
    Enrolment.Status.ATTENDED: 3,
    Enrolment.Status.REGISTERED: 2,
    Enrolment.Status.WITHDRAWN: 1,
}

# Fields of the kept cadre that the removed one fills when they are empty.
FILLABLE_FIELDS = [
    "gender",
    "birth_date",
    "birth_year",
    "id_number",
    "email",
    "position",
    "agency",
    "locality",
]


def merge_cadres(*, keep, remove, user=None):
    """Fold ``remove`` into ``keep`` and delete it, in one transaction; returns ``keep``.

    Enrolments move to the kept cadre; when both were on the same course one enrolment is
    kept, with the furthest status (completed > attended > registered > withdrawn) and a
    certificate number if either had one. Language skills move, keeping the higher level of
    a language both have. Empty fields of the kept cadre are filled from the removed one.
    Two different non-empty ID numbers are refused (ValidationError): never the same person.
    """
    if keep.pk == remove.pk:
        raise ValidationError(_("A cadre cannot be merged with itself."))
    with transaction.atomic():
        # Locked and re-read, so that what is checked is what is merged.
        locked = Cadre.objects.select_for_update().in_bulk([keep.pk, remove.pk])
        if len(locked) != 2:
            raise ValidationError(_("One of the two cadres no longer exists."))
        keep, remove = locked[keep.pk], locked[remove.pk]
        refuse_locked_merge(remove)  # plans.locks: no merge into an approved period
        if keep.id_number and remove.id_number and keep.id_number != remove.id_number:
            raise ValidationError(
                _("These cadres have different ID numbers: they are not the same person.")
            )
        _move_enrolments(keep, remove)
        _move_language_skills(keep, remove)
        for field in FILLABLE_FIELDS:
            if getattr(keep, field) in (None, "") and getattr(remove, field) not in (None, ""):
                setattr(keep, field, getattr(remove, field))
        # Deleted first: the ID number it may hand over is unique.
        remove.delete()
        keep.save()
    return keep


def _move_enrolments(keep, remove):
    kept_by_course = {e.course_id: e for e in Enrolment.objects.filter(cadre=keep)}
    for enrolment in Enrolment.objects.filter(cadre=remove):
        kept = kept_by_course.get(enrolment.course_id)
        if kept is None:
            enrolment.cadre = keep
            enrolment.save(update_fields=["cadre"])
            continue
        winner, loser = kept, enrolment
        if STATUS_PRIORITY[enrolment.status] > STATUS_PRIORITY[kept.status]:
            winner, loser = enrolment, kept
        kept.status = winner.status
        kept.certificate_number = winner.certificate_number or loser.certificate_number
        enrolment.delete()
        kept.save(update_fields=["status", "certificate_number"])


def _move_language_skills(keep, remove):
    kept_by_language = {s.language: s for s in keep.languages.all()}
    for skill in remove.languages.all():
        kept = kept_by_language.get(skill.language)
        if kept is None:
            skill.cadre = keep
            skill.save(update_fields=["cadre"])
        else:
            if skill.level > kept.level:
                kept.level = skill.level
                kept.save(update_fields=["level"])
            skill.delete()


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
