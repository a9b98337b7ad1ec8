"""Writes about courses that touch several models: merging two records of one cadre, which
moves their enrolments (and language skills) to the one kept.

Apps above the courses (plans: no merge into an approved period) take part through the
``cadres_merging`` signal, sent inside the transaction before anything moves; a receiver
refuses by raising ValidationError."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from cadres.models import Cadre

from .models import Enrolment

# Sent with keep= and remove= (both locked and re-read) before a merge changes anything.
cadres_merging = Signal()

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
        cadres_merging.send(sender=Cadre, keep=keep, remove=remove)  # plans: approved periods
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
