"""{% approved_share_line programme %}: "số liệu đã duyệt: 28/34 tỉnh/thành" behind a report."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
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
