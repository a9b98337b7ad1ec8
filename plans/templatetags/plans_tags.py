"""{% approved_share_line programme %}: "số liệu đã duyệt: 28/34 tỉnh/thành" behind a report."""

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plans.periods import approved_share

register = template.Library()


@register.simple_tag
def approved_share_line(programme):
    """The approved share of provinces for the last year of the programme that has begun."""
    year = min(programme.last_year, timezone.localdate().year)
    approved, total = approved_share(year)
    return format_html(
        '<p class="approved-share">{}</p>',
        _("approved data (%(year)s): %(approved)s/%(total)s provinces")
        % {"year": year, "approved": approved, "total": total},
    )


@register.filter
def num(value):
    """A whole number grouped by thousands (9.000 in Vietnamese, 9,000 in English): a plain
    format, as intcomma costs too much on a page of thousands of cells."""
    if value is None or value == "":
        return "—"
    try:
        text = f"{int(value):,}"
    except (TypeError, ValueError):
        return value
    return text.replace(",", ".") if (get_language() or "vi").startswith("vi") else text


def _rate(value):
    return "—" if value is None else f"{value}%"


@register.simple_tag
def plan_rows(comparison):
    """The body rows of the plans table, built in Python: a page of 340 plans and thousands of
    rows renders in a fraction of what as many template nodes cost (bench/plans_bench.py)."""
    abroad, home, total = escape(_("abroad")), escape(_("at home")), escape(_("Total"))
    dot = (get_language() or "vi").startswith("vi")  # asked once: get_language() is not free
    out = []

    def num(value):
        text = f"{value:,}"
        return text.replace(",", ".") if dot else text

    def cells(row):
        return (
            f'<td class="num">{num(row.planned.courses)} / {num(row.actual.courses)}</td>'
            f'<td class="num">{_rate(row.courses_rate)}</td>'
            f'<td class="num">{num(row.courses_gap)}</td>'
            f'<td class="num">{num(row.planned.times)} / {num(row.actual.times)}</td>'
            f'<td class="num">{_rate(row.times_rate)}</td>'
            f'<td class="num">{num(row.times_gap)}</td>'
            f'<td class="num">{num(row.planned.budget)} / {num(row.actual.budget)}</td>'
            f'<td class="num">{_rate(row.budget_rate)}</td>'
        )

    for item in comparison.plans:
        plan = item.plan
        head = (
            f"<td>{escape(plan.unit)}</td><td>{plan.year}</td>"
            f"<td>{escape(plan.programme.code) if plan.programme_id else '—'}</td>"
        )
        for row in item.rows:
            out.append(
                f"<tr>{head}<td>{escape(row.course_type)}</td>"
                f"<td>{abroad if row.abroad else home}</td>{cells(row)}</tr>"
            )
        out.append(
            f'<tr class="total"><th scope="row" colspan="5">{total} · {escape(plan)}</th>'
            f"{cells(item.total)}</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 (every value above is escaped or a number)
