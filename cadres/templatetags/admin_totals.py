"""Totals under the course page's inlines: the named list by status, the tallies' sum.

Computed over the rows the formset shows (the user's scope), in one query each."""

from django import template
from django.db.models import Count, Sum

register = template.Library()


@register.simple_tag
def inline_totals(inline_admin_formset):
    """{"parts": [(label, number)...], "total": (label, number)} or None."""
    from courses.models import Enrolment, ParticipantTally

    formset = inline_admin_formset.formset
    instance = getattr(formset, "instance", None)
    if instance is None or instance.pk is None:
        return None
    queryset = formset.get_queryset().order_by()
    model = queryset.model
    if model is Enrolment:
        counts = dict(queryset.values_list("status").annotate(n=Count("pk")))
        parts = [
            (label, counts[value]) for value, label in Enrolment.Status.choices if counts.get(value)
        ]
        return {"kind": "enrolments", "parts": parts, "total": sum(counts.values())}
    if model is ParticipantTally:
        total = queryset.aggregate(n=Sum("count"))["n"] or 0
        return {"kind": "tallies", "parts": [], "total": total, "rows": queryset.count()}
    return None
