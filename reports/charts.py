"""Charts drawn on the server as inline SVG: no CDN, no script, and they print."""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

BAR = "#2b5d8a"


def bar_chart(items, title, width=640, bar_height=22, label_width=250):
    """Horizontal bars for (label, value) pairs, values written at the end of each bar."""
    items = list(items)
    top = max((value for _label, value in items), default=0) or 1
    plot = width - label_width - 80
    height = bar_height * len(items) + 8
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        (
            (
                label_width - 6,
                index * bar_height + bar_height * 0.7,
                label if len(label) <= 38 else label[:36] + "…",
                label_width,
                index * bar_height + 3,
                round(plot * value / top, 1),
                bar_height - 6,
                BAR,
                label_width + round(plot * value / top, 1) + 4,
                index * bar_height + bar_height * 0.7,
                number_format(value, force_grouping=True),
            )
            for index, (label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%">'
        "<title>{}</title>{}</svg>",
        title,
        width,
        height,
        title,
        bars,
    )


def progress_bar(progress_pct, on_track_pct=None, width=300, height=16):
    """A target's bar: filled to its progress (capped at 100%), a tick at the linear share."""
    filled = min(max(progress_pct or 0, 0), 100) * width / 100
    tick = ""
    if on_track_pct is not None:
        x = min(max(on_track_pct, 0), 100) * width / 100
        tick = format_html(
            '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#333" stroke-width="2"></line>',
            x,
            x,
            height,
        )
    return format_html(
        '<svg class="progress" viewBox="0 0 {} {}" width="{}" height="{}">'
        '<rect width="{}" height="{}" fill="#e4e4e4"></rect>'
        '<rect width="{}" height="{}" fill="{}"></rect>{}</svg>',
        width,
        height,
        width,
        height,
        width,
        height,
        round(filled, 1),
        height,
        BAR,
        tick or mark_safe(""),
    )
