"""Template tags that draw the report's SVG charts (reports/charts.py)."""

from django import template

from reports import charts
from reports.figures import elapsed_share

register = template.Library()


@register.simple_tag
def bar_chart(items, title):
    return charts.bar_chart(items, title)


@register.simple_tag
def target_bar(progress, as_of):
    """A target's progress bar with a tick where a linear pace would be today."""
    share = elapsed_share(progress.first_year, progress.last_year, as_of) * 100
    return charts.progress_bar(progress.progress_pct, share)
