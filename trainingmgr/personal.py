"""The personal-data display rule: who may see a cadre's ID number and birth date, and what
everyone else sees instead (the last four digits, the birth year).

A kit module: it imports no app, so the import preview, the admin kit and the API all read
the one rule from here. Recording who saw personal data stays with its callers
(``accounts.audit.record_personal_data_access``)."""

import re

from django.utils import formats

PERSONAL_DATA_PERMISSION = "cadres.view_personal_data"

# The personal fields (of cadres): shown, filtered, ordered and searched only with the
# personal-data permission, through whatever relation they are reached.
PERSONAL_FIELDS = frozenset({"id_number", "birth_date"})


def is_personal(path):
    """Whether a lookup, search or ordering path reaches a personal field (``id_number``,
    ``^cadre__birth_date__month``, ``F(enrolments__cadre__id_number)``...)."""
    words = re.findall(r"\w+", str(path))
    return any(set(word.split("__")) & PERSONAL_FIELDS for word in words)


def may_see_personal_data(user):
    return user.has_perm(PERSONAL_DATA_PERMISSION)


def masked_id_number(id_number):
    """All but the last four digits hidden: enough to tell two people apart on a list."""
    if not id_number:
        return "-"
    return "•" * max(len(id_number) - 4, 4) + id_number[-4:]


def id_number_for(user, cadre):
    return (
        (cadre.id_number or "-")
        if may_see_personal_data(user)
        else masked_id_number(cadre.id_number)
    )


def birth_for(user, cadre):
    """The birth date for those who may see it, else the birth year alone."""
    if cadre.birth_date and may_see_personal_data(user):
        return formats.date_format(cadre.birth_date, "SHORT_DATE_FORMAT")
    return cadre.birth_year or "-"
