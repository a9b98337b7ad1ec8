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


# --- status colours, health bars and legends --------------------------------------------------

STATUS_COLOURS = {
    "achieved": "#2e7d32",
    "missed": "#8e0000",
    "on_track": "#7cb342",
    "behind": "#e65100",
    "not_started": "#9e9e9e",
    "no_baseline": "#f9a825",
}


def health_bar(counts, labels, width=220, height=14):
    """One programme's targets as a stacked bar, one segment per status (SVG, so that it
    prints and needs no inline style); the legend is drawn once for the page."""
    total = sum(counts.get(status, 0) for status in STATUS_COLOURS) or 1
    x = 0.0
    parts = []
    for status, colour in STATUS_COLOURS.items():
        n = counts.get(status, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                round(x, 1),
                round(w, 1),
                height,
                colour,
                labels[status],
                n,
            )
        )
        x += w
    return format_html(
        '<svg class="health" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}">{}</svg>',
        ", ".join(f"{labels[s]}: {counts.get(s, 0)}" for s in STATUS_COLOURS if counts.get(s)),
        width,
        height,
        width,
        height,
        mark_safe("".join(parts)),  # noqa: S308 (each part built by format_html)
    )


def legend(items):
    """A legend: (colour, label) pairs as small swatches (SVG) with their text."""
    return format_html(
        '<ul class="legend">{}</ul>',
        format_html_join(
            "",
            '<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" '
            'fill="{}" stroke="#666" stroke-width=".5"></rect></svg> {}</li>',
            items,
        ),
    )


def status_legend(labels):
    return legend((colour, labels[status]) for status, colour in STATUS_COLOURS.items())


# --- the tile map of the 34 provincial units ------------------------------------------------

# (column, row) of each current unit on a grid that follows the country's shape, north at
# the top; the central level (TW) is drawn apart, to the right.
TILES = {
    "12": (1, 0), "15": (2, 0), "08": (3, 0), "04": (4, 0),
    "11": (0, 1), "14": (1, 1), "25": (2, 1), "19": (3, 1), "20": (4, 1),
    "01": (2, 2), "24": (3, 2), "22": (4, 2),
    "37": (2, 3), "33": (3, 3), "31": (4, 3),
    "38": (2, 4),
    "40": (2, 5), "42": (3, 5),
    "44": (3, 6), "46": (4, 6),
    "48": (4, 7),
    "52": (3, 8), "51": (4, 8),
    "66": (3, 9), "56": (4, 9),
    "80": (1, 10), "75": (2, 10), "68": (3, 10),
    "91": (0, 11), "82": (1, 11), "79": (2, 11),
    "96": (0, 12), "92": (1, 12), "86": (2, 12),
}  # fmt: skip
SCALE = ["#f1f5f9", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]


def _short(name):
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name if len(name) <= 11 else name[:10] + "…"


def scale_bins(values, steps=5):
    """Upper bounds of the colour classes: equal steps up to the largest value."""
    top = max(values, default=0)
    if not top:
        return []
    return [max(1, round(top * (i + 1) / steps)) for i in range(steps)]


def colour_of(value, bins):
    if not value or not bins:
        return SCALE[0]
    for index, bound in enumerate(bins):
        if value <= bound:
            return SCALE[index + 1]
    return SCALE[-1]


CENTRAL_FILL = "#d8cfe8"


def tile_map(units, values, href, title, central_label="", selected="", tile=62, tile_h=40, gap=4):
    """The 34 provincial units as tiles coloured by value, the central level apart (in its
    own colour, off the scale: it would flatten the provinces' colours); each tile links to
    href(code), the page filtered to that unit. units: Locality objects."""
    bins = scale_bins([values.get(loc.code, 0) for loc in units if not loc.is_central])
    columns = 5
    rows = 1 + max(row for _col, row in TILES.values())
    central_x = columns * (tile + gap) + 14
    width = central_x + tile + 4
    height = rows * (tile_h + gap)
    parts = []
    for loc in units:
        if loc.code in TILES:
            col, row = TILES[loc.code]
            x, y = col * (tile + gap), row * (tile_h + gap)
        elif loc.is_central:
            x, y = central_x, 0
        else:
            continue
        value = values.get(loc.code, 0)
        fill = CENTRAL_FILL if loc.is_central else colour_of(value, bins)
        dark = fill in SCALE[4:]
        parts.append(
            format_html(
                '<a href="{}" class="tile{}" data-code="{}"><title>{}: {}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"></rect>'
                '<text x="{}" y="{}" class="tile-name{}">{}</text>'
                '<text x="{}" y="{}" class="tile-value{}">{}</text></a>',
                href(loc.code),
                " selected" if loc.code == selected else "",
                loc.code,
                loc.name,
                number_format(value, force_grouping=True),
                x,
                y,
                tile,
                tile_h,
                fill,
                x + tile / 2,
                y + 15,
                " light" if dark else "",
                _short(loc.name),
                x + tile / 2,
                y + 31,
                " light" if dark else "",
                number_format(value, force_grouping=True),
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#bbb" stroke-dasharray="3 3"></line>',
            central_x - 8,
            central_x - 8,
            tile_h * 2,
        )
    )
    svg = format_html(
        '<svg class="tile-map" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%">'
        "<title>{}</title>{}</svg>",
        title,
        width,
        height,
        title,
        mark_safe("".join(parts)),  # noqa: S308 (each part built by format_html)
    )
    low = 1
    items = [(SCALE[0], "0")]
    for index, bound in enumerate(bins):
        text = number_format(bound, force_grouping=True)
        if low < bound:
            text = f"{number_format(low, force_grouping=True)}–{text}"
        items.append((SCALE[index + 1], text))
        low = bound + 1
    if central_label:
        items.append((CENTRAL_FILL, central_label))
    return svg, legend(items)


# --- the trajectory of a target -------------------------------------------------------------


def trajectory_chart(points, goal, title, labels, width=480, height=190):
    """Actual cumulative value by year (solid, dots) against the linear path to the goal
    (dashed) and the goal (thin line). points: (year, actual or None, path)."""
    if not points:
        return "", ""
    left, right, top, bottom = 56, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _y, v, _p in points if v is not None] + [goal]
    top_value = max(values) * 1.08 or 1
    step = plot_w / max(len(points) - 1, 1)

    def xy(index, value):
        return round(left + index * step, 1), round(top + plot_h - plot_h * value / top_value, 1)

    path = " ".join("{},{}".format(*xy(i, p)) for i, (_y, _v, p) in enumerate(points))
    actual = [(i, v) for i, (_y, v, _p) in enumerate(points) if v is not None]
    line = " ".join("{},{}".format(*xy(i, v)) for i, v in actual)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
        ((*xy(i, v), BAR, points[i][0], number_format(v, force_grouping=True)) for i, v in actual),
    )
    years = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
        ((xy(i, 0)[0], height - 8, y) for i, (y, _v, _p) in enumerate(points)),
    )
    _gx, gy = xy(0, goal)
    svg = format_html(
        '<svg class="chart trajectory" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%"><title>{}</title>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"></line>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#2e7d32" stroke-width="1"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">0</text>'
        '<polyline points="{}" fill="none" stroke="#888" stroke-width="2" '
        'stroke-dasharray="6 4"></polyline>'
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"></polyline>{}{}</svg>',
        title,
        width,
        height,
        title,
        left,
        top + plot_h,
        width - right,
        top + plot_h,
        left,
        gy,
        width - right,
        gy,
        left - 4,
        gy + 4,
        number_format(goal, force_grouping=True),
        left - 4,
        top + plot_h,
        path,
        line,
        BAR,
        dots,
        years,
    )
    keys = [(BAR, labels["actual"]), ("#888", labels["path"]), ("#2e7d32", labels["goal"])]
    return svg, legend(keys)
