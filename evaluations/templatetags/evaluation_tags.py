from django import template

from accounts import scoping
from courses.models import Course

from ..results import min_answers, results_for

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def lecturer_questions(questions):
    return [(code, text) for code, text in questions if code == "lecturers"]


@register.simple_tag(takes_context=True)
def programme_evaluations(context, programme):
    """The evaluation results of a programme's courses in the viewer's scope, or None when
    none of them was evaluated (the block is then left out)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    courses = scoping.courses(Course.objects.filter(programme=programme), user)
    evaluated = courses.filter(evaluations__isnull=False).distinct()
    if not evaluated.exists():  # one query, and the block is left out
        return None
    context["min_answers"] = min_answers()
    return results_for(evaluated)
