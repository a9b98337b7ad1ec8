"""Template tags that draw the report's SVG charts (reports/charts.py)."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports import charts
from reports.figures import STATUS_LABELS, elapsed_share

register = template.Library()


@register.simple_tag
def bar_chart(items, title):
    return charts.bar_chart(items, title)


@register.simple_tag
def target_bar(progress, as_of):
    """A target's progress bar with a tick where a linear pace would be today."""
    share = elapsed_share(progress.first_year, progress.last_year, as_of) * 100
    return charts.progress_bar(progress.progress_pct, share)


@register.simple_tag
def target_bar_legend():
    return charts.legend(
        [
            (charts.BAR, _("progress towards the goal")),
            ("#333", _("tick: where a steady pace would be on the report date")),
        ]
    )


@register.simple_tag
def health_bar(counts):
    return charts.health_bar(counts, STATUS_LABELS)


@register.simple_tag
def status_legend():
    return charts.status_legend(STATUS_LABELS)


@register.simple_tag
def tile_map(report):
    """The map of the 34 units coloured by participant-times; a tile filters the page."""
    params = report.filters.params()
    params.pop("locality", None)
    params.pop("recorded", None)

    def href(code):
        return "?" + urlencode({**params, "locality": code})

    svg, legend = charts.tile_map(
        report.ref.units,
        report.by_unit,
        href,
        _("Participant-times by province or city (current units); central level apart"),
        central_label=_("central level, shown apart (not on the colour scale)"),
        selected=report.filters.locality,
    )
    return format_html("{}{}", svg, legend)


@register.simple_tag
def trajectory(progress):
    svg, legend = charts.trajectory_chart(
        progress.trajectory,
        float(progress.target.value_min),
        _("%(label)s: cumulative by year against a steady path to the goal")
        % {"label": progress.target.label},
        {
            "actual": _("actual, cumulative by year"),
            "path": _("steady path to the goal"),
            "goal": _("goal"),
        },
    )
    if not svg:
        return ""
    return format_html('<figure class="trajectory">{}{}</figure>', svg, legend)


@register.simple_tag
def report_table(table):
    """A report table as HTML, built in Python: the same markup as a template loop, several
    times faster on the 36 x 9 locality table (docs/PERFORMANCE-REPORTS.md)."""
    separator = get_format("THOUSAND_SEPARATOR")
    grouping = settings.USE_THOUSAND_SEPARATOR

    def number(value):
        if value is None:
            return "—"
        if isinstance(value, int) and not isinstance(value, bool):
            text = f"{value:,}" if grouping else str(value)
            return text.replace(",", separator)
        if isinstance(value, float):
            return localize(value)
        return conditional_escape(value)

    def row_html(row):
        cells = []
        for index, value in enumerate(row):
            if index < table.labels:
                label = value if value is not None else ""
                cells.append(f'<th scope="row">{conditional_escape(label)}</th>')
            else:
                cells.append(f"<td>{number(value)}</td>")
        return "<tr>" + "".join(cells) + "</tr>"

    head = "".join(f'<th scope="col">{conditional_escape(c)}</th>' for c in table.columns)
    body = "\n".join(row_html(row) for row in table.rows)
    foot = f"<tfoot>{row_html(table.footer)}</tfoot>" if table.footer else ""
    return mark_safe(  # noqa: S308 (every value above is escaped or a formatted number)
        f'<div class="table-scroll"><table class="data numbers" id="table-{table.key}">'
        f"<caption>{conditional_escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody>{foot}</table></div>"
    )
