"""{% approved_share_line programme %}: "số liệu đã duyệt: 28/34 tỉnh/thành" behind a report."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
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
