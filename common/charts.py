"""Small server-rendered SVG charts: pure Python, no JavaScript, no external fonts or files.

Every function returns one complete inline ``<svg>`` string, to be put in a template with
``|safe`` (all caller text is escaped here). The charts:

- scale with their container: a fixed ``viewBox`` plus ``width="100%"`` (and a ``max-width`` of
  MAX_WIDTH_PX in static/css/app.css, ``svg.chart``, so they do not blow up on a wide desktop
  card; no inline style, which the Content-Security-Policy would block); the viewBox is 360 units wide, about the width a
  card has on a 390 px phone, so 13-unit text stays about 12 px there;
- are accessible: ``role="img"``, a ``<title>``, a ``<desc>`` and an ``aria-label`` that says the
  data in words (Chinese, like the rest of the UI);
- use no ``id`` attributes, so many charts can share one page, and no randomness, so the same
  input always gives the same string (cacheable, testable).

Text widths cannot be measured on the server, so they are estimated (``_text_width``): CJK and
other wide characters count 1 em, everything else 0.62 em, which errs on the wide side.
"""

import html
import math
import re
import unicodedata

LIGHT_COLORS: dict[str, str] = {
    "green": "#1a7f37",
    "yellow": "#bf8700",
    "red": "#cf222e",
    "grey": "#8c959f",
}

FONT_FAMILY = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
INK = "#1f2328"  # same as --ink in static/css/app.css
MUTED = "#656d76"  # --muted
GRID = "#d0d7de"  # --line
TRACK = "#eaeef2"  # the unfilled part of bars and rings
# Series / bar colours: blue first; green, yellow and red are left out on purpose, because on
# these pages they mean the traffic lights (LIGHT_COLORS).
PALETTE = ("#0969da", "#bc4c00", "#8250df", "#1b7c83", "#bf3989", "#4d2d00", "#6e7781")
EMPTY_TEXT = "暂无数据"

WIDTH = 360  # viewBox width of the big charts (see the module docstring)
MAX_WIDTH_PX = 540  # 1.5x: on a desktop, text is at most ~20 px
PAD = 8  # outer margin, all sides
FONT = 13  # labels and legend
SMALL = 11  # axis ticks, captions
TITLE_FONT = 15
TITLE_BASELINE = 20
TOP = 32  # first y below the title row

# Characters XML 1.0 forbids even when escaped (most C0 controls); dropped from caller text.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --- text and numbers ---------------------------------------------------------------------------


def _esc(text: object) -> str:
    """Escape for both element content and attribute values."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _label(text: object) -> str:
    """Caller text as one line: newlines and runs of spaces collapse to one space."""
    return " ".join(str(text).split())


def _num(value: object) -> float | None:
    """A finite float, or None (for None, NaN, infinities and non-numbers)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fmt(value: float, digits: int = 1) -> str:
    """45.0 -> "45", 87.35 -> "87.4" (digits=1), never "-0"."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _n(coordinate: float) -> str:
    """A coordinate: two decimals are far below a pixel and keep the output short."""
    return _fmt(coordinate, 2)


def _text_width(text: str, size: float) -> float:
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WFA")
    return (wide + 0.62 * (len(text) - wide)) * size


def _fit(text: str, max_width: float, size: float) -> str:
    """Cut text to max_width, ending with "…"; the caller keeps the full text for a tooltip."""
    if _text_width(text, size) <= max_width:
        return text
    while text and _text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = FONT,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
    max_width: float | None = None,
    css: str = "",
    halo: bool = False,
) -> str:
    """One <text>; when cut to max_width, the full text is its <title> (a hover tooltip)."""
    shown = _fit(text, max_width, size) if max_width is not None else text
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{_esc(fill)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if css:
        attrs += f' class="{css}"'
    if halo:  # a white outline under the glyphs keeps text readable where it crosses lines
        attrs += ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    tooltip = f"<title>{_esc(text)}</title>" if shown != text else ""
    return f"<text {attrs}>{tooltip}{_esc(shown)}</text>"


# --- the <svg> frame ----------------------------------------------------------------------------


def _svg(kind: str, height: float, title: str, summary: str, body: list[str]) -> str:
    """The root element; `summary` is the data in words, for screen readers."""
    label = f"{title}：{summary}" if title else summary
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-label="{_esc(label)}" font-family="{FONT_FAMILY}">'
        f"<title>{_esc(title)}</title><desc>{_esc(summary)}</desc>" + "".join(body) + "</svg>"
    )


def _title_row(title: str, caption: str = "") -> list[str]:
    """The visible title, top left; an optional small caption (e.g. the unit) top right."""
    caption_w = _text_width(caption, SMALL) + 8 if caption else 0
    parts = [
        _text(
            PAD,
            TITLE_BASELINE,
            title,
            size=TITLE_FONT,
            bold=True,
            max_width=WIDTH - 2 * PAD - caption_w,
            css="chart-title",
        )
    ]
    if caption:
        parts.append(
            _text(WIDTH - PAD, TITLE_BASELINE, caption, size=SMALL, anchor="end", fill=MUTED)
        )
    return parts


def _empty_chart(kind: str, title: str) -> str:
    """Title plus a centred "暂无数据" in a box of one short row."""
    height = TOP + 48
    body = _title_row(title)
    body.append(_text(WIDTH / 2, TOP + 26, EMPTY_TEXT, anchor="middle", fill=MUTED))
    return _svg(kind, height, title, EMPTY_TEXT, body)


def _color(colors: list[str] | tuple[str, ...] | None, index: int) -> str:
    palette = colors or PALETTE
    return palette[index % len(palette)]


# --- bar chart ----------------------------------------------------------------------------------

BAR_ROW = 24  # one row per item; the chart grows by this much per item
BAR_THICK = 14  # bar height inside the row (5 units of air above and below)


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    colors: list[str] | None = None,
    max_value: float | None = None,
) -> str:
    """Horizontal bars, one row per item: label | bar over a grey track | value.

    The scale runs from 0 to `max_value` (e.g. 100 for 报送率), or to the largest value. Bars are
    clamped to the track (negative -> empty, above max -> full); the printed value is the real
    one. `colors` cycle over the rows (default: one blue).
    """
    rows = [(_label(label), _num(value)) for label, value in items]
    if not rows:
        return _empty_chart("bar", title)
    values = [v or 0.0 for _, v in rows]
    scale = _num(max_value) or 0.0
    if scale <= 0:
        scale = max(values)
    if scale <= 0:
        scale = 1.0  # all zero: empty tracks, and no division by zero
    value_texts = [f"{_fmt(v)}{unit}" for v in values]

    # Columns: labels right-aligned against the bars (at most 38% of the width, longer ones are
    # cut); bars; then room for the widest value text, so no value is ever clipped.
    label_w = min(max(_text_width(label, FONT) for label, _ in rows), WIDTH * 0.38)
    value_w = max(_text_width(text, FONT) for text in value_texts)
    bar_x = PAD + label_w + 8
    track_w = max(WIDTH - PAD - value_w - 6 - bar_x, 40.0)

    body = _title_row(title)
    for i, ((label, _), value, text) in enumerate(zip(rows, values, value_texts, strict=True)):
        top = TOP + i * BAR_ROW
        bar_y = top + (BAR_ROW - BAR_THICK) / 2
        baseline = top + BAR_ROW / 2 + FONT * 0.35  # optical vertical centre of 13-unit text
        length = track_w * min(max(value, 0.0), scale) / scale
        body.append(
            _text(PAD + label_w, baseline, label, anchor="end", max_width=label_w, css="label")
        )
        body.append(
            f'<rect x="{_n(bar_x)}" y="{_n(bar_y)}" width="{_n(track_w)}" '
            f'height="{BAR_THICK}" rx="2" fill="{TRACK}"/>'
        )
        if length > 0:
            body.append(
                f'<rect class="bar" x="{_n(bar_x)}" y="{_n(bar_y)}" width="{_n(length)}" '
                f'height="{BAR_THICK}" rx="2" fill="{_esc(_color(colors or PALETTE[:1], i))}"/>'
            )
        body.append(_text(bar_x + length + 4, baseline, text, css="value"))

    height = TOP + len(rows) * BAR_ROW + PAD
    summary = "，".join(
        f"{label} {text}" for (label, _), text in zip(rows, value_texts, strict=True)
    )
    return _svg("bar", height, title, summary, body)


# --- donut chart --------------------------------------------------------------------------------

R_OUT = 64  # ring outer radius: the ring takes the left 144 units, the legend the rest
R_IN = 40  # inner radius: leaves an 80-unit hole for center_text
LEGEND_ROW = 22


def _percentages(values: list[float]) -> list[float]:
    """Shares in % with one decimal that add up to exactly 100 (largest-remainder rounding)."""
    total = sum(values)
    if total <= 0:
        return [0.0] * len(values)
    exact = [v * 1000 / total for v in values]  # in tenths of a percent
    tenths = [math.floor(e) for e in exact]
    # Hand the missing tenths to the largest remainders; ties go to the earlier item.
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - tenths[i]), i))
    for i in order[: 1000 - sum(tenths)]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


def _ring_point(cx: float, cy: float, r: float, turn: float) -> str:
    """The point at `turn` (0..1) of a circle, starting at 12 o'clock, going clockwise."""
    angle = 2 * math.pi * turn
    return f"{_n(cx + r * math.sin(angle))},{_n(cy - r * math.cos(angle))}"


def _ring_sector(cx: float, cy: float, start: float, end: float) -> str:
    """An annular sector as a closed path: outer arc clockwise, inner arc back.

    Paths (not stroke-dasharray on a circle) so every SVG renderer, including PDF converters,
    draws the same thing. A full turn cannot be one arc, so callers draw a ring for that.
    """
    large = 1 if end - start > 0.5 else 0
    return (
        f"M{_ring_point(cx, cy, R_OUT, start)}"
        f"A{R_OUT},{R_OUT} 0 {large} 1 {_ring_point(cx, cy, R_OUT, end)}"
        f"L{_ring_point(cx, cy, R_IN, end)}"
        f"A{R_IN},{R_IN} 0 {large} 0 {_ring_point(cx, cy, R_IN, start)}Z"
    )


def _full_ring(cx: float, cy: float, color: str, css: str, inner: str = "") -> str:
    # A circle stroked as wide as the ring, centred between the two radii.
    return (
        f'<circle class="{css}" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n((R_OUT + R_IN) / 2)}" '
        f'fill="none" stroke="{_esc(color)}" stroke-width="{R_OUT - R_IN}">{inner}</circle>'
    )


def donut_chart(parts: list[tuple[str, float, str]], *, title: str, center_text: str = "") -> str:
    """A ring of (label, value, colour) parts, clockwise from 12 o'clock, and a legend with
    label, value and percent. Negative values count as 0. With no parts or a zero total: a grey
    ring with "暂无数据" in the middle (the legend still lists the parts, at 0%)."""
    rows = [
        (_label(label), max(_num(value) or 0.0, 0.0), str(color)) for label, value, color in parts
    ]
    values = [v for _, v, _ in rows]
    total = sum(values)
    percents = _percentages(values)

    # The ring and the legend sit side by side, both vertically centred in the taller of the two.
    content_h = max(2 * R_OUT + 16, len(rows) * LEGEND_ROW + 8)
    cx, cy = PAD + 4 + R_OUT, TOP + content_h / 2
    body = _title_row(title)

    if total <= 0:
        body.append(_full_ring(cx, cy, TRACK, "ring-empty"))
        body.append(_text(cx, cy + FONT * 0.35, EMPTY_TEXT, anchor="middle", fill=MUTED))
    else:
        turn = 0.0
        for (label, value, color), percent in zip(rows, percents, strict=True):
            if value <= 0:
                continue
            share = value / total
            tooltip = f"<title>{_esc(label)} {_fmt(value)}（{_fmt(percent)}%）</title>"
            if share >= 0.99995:  # one part is (nearly) everything: a whole ring
                body.append(_full_ring(cx, cy, color, "slice", tooltip))
            else:  # thin white edges keep neighbouring slices of similar colour apart
                body.append(
                    f'<path class="slice" d="{_ring_sector(cx, cy, turn, turn + share)}" '
                    f'fill="{_esc(color)}" stroke="#fff" stroke-width="1">{tooltip}</path>'
                )
            turn += share
        if center_text:
            body.append(_center_text(cx, cy, _label(center_text)))

    # Legend columns, from the right edge: percent, value (both right-aligned), then the label in
    # whatever is left (cut with "…" when too long).
    legend_x = cx + R_OUT + 16
    pct_texts = [f"{_fmt(p)}%" for p in percents]
    value_texts = [_fmt(v) for v in values]
    pct_w = max([_text_width("99.9%", FONT)] + [_text_width(t, FONT) for t in pct_texts])
    value_w = max((_text_width(t, FONT) for t in value_texts), default=0)
    pct_right = WIDTH - PAD
    value_right = pct_right - pct_w - 8
    label_x = legend_x + 16
    label_w = max(value_right - value_w - 8 - label_x, 30)
    legend_top = TOP + (content_h - len(rows) * LEGEND_ROW) / 2
    for i, (label, _, color) in enumerate(rows):
        baseline = legend_top + i * LEGEND_ROW + LEGEND_ROW / 2 + FONT * 0.35
        body.append(
            f'<rect x="{_n(legend_x)}" y="{_n(baseline - 10)}" width="10" height="10" rx="2" '
            f'fill="{_esc(color)}"/>'
        )
        body.append(_text(label_x, baseline, label, max_width=label_w, css="label"))
        body.append(_text(value_right, baseline, value_texts[i], anchor="end", css="value"))
        body.append(
            _text(pct_right, baseline, pct_texts[i], anchor="end", fill=MUTED, css="percent")
        )

    if total <= 0:
        summary = EMPTY_TEXT
    else:
        summary = "，".join(
            f"{label} {v}（{p}）"
            for (label, _, _), v, p in zip(rows, value_texts, pct_texts, strict=True)
        )
        summary += f"；合计 {_fmt(total)}"
    return _svg("donut", TOP + content_h + PAD, title, summary, body)


def _center_text(cx: float, cy: float, text: str) -> str:
    """Big text in the hole: 20 units, shrunk (to 11 at least) so it fits in the hole."""
    room = 2 * R_IN - 12
    size = max(min(20.0, room / max(_text_width(text, 1), 0.01)), SMALL)
    return _text(cx, cy + size * 0.35, text, size=size, anchor="middle", bold=True, max_width=room)


# --- line chart ---------------------------------------------------------------------------------

PLOT_H = 180  # height of the plotting area, whatever the data
X_LABEL_GAP = 8  # minimum air between two x labels
MARKERS_UP_TO = 24  # dots on every point when there are at most this many categories


def _nice_ticks(low: float, high: float) -> tuple[list[float], float]:
    """(ticks, step): ticks covering low..high in 4-5 ticks of 1, 2, 2.5 or 5 x 10^n."""
    span = high - low
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    # The 1e-9 slack stops float noise (e.g. 100/25 = 4.000000001) from adding a tick.
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [k * step for k in range(first, last + 1)], step


def _tick_digits(step: float) -> int:
    """Decimals needed to print multiples of step: 25 -> 0, 0.5 -> 1, 0.25 -> 2."""
    for digits in range(0, 7):
        if abs(round(step, digits) - step) < 1e-9 * max(1.0, abs(step)):
            return digits
    return 6


def _x_label_stride(labels: list[str], spacing: float) -> int:
    """Show every k-th x label, k just large enough that the widest labels do not touch."""
    widest = max(_text_width(label, SMALL) for label in labels)
    if spacing <= 0:
        return 1
    return max(1, math.ceil((widest + X_LABEL_GAP) / spacing))


def line_chart(
    series: list[tuple[str, list[tuple[str, float | None]]]],
    *,
    title: str,
    unit: str = "",
    y_max: float | None = None,
    target: float | None = None,
    target_label: str = "目标",
) -> str:
    """Lines over shared categorical x labels (e.g. "第20周").

    Points are matched by position; the x labels come from the longest series. None (or NaN)
    is a gap: the line breaks there, and a point with gaps on both sides is drawn as a dot. The y
    axis starts at 0 (lower if a value is negative) and reaches at least `y_max` and `target`,
    rounded up to a nice tick. `target` is a dashed horizontal line with "`target_label` value".
    A legend appears when there is more than one series; the unit is a caption top right.
    """
    names = [_label(name) for name, _ in series]
    categories = [_label(x) for x, _ in max((points for _, points in series), key=len, default=[])]
    lines = [
        [_num(points[i][1]) if i < len(points) else None for i in range(len(categories))]
        for _, points in series
    ]
    known = [v for line in lines for v in line if v is not None]
    if not known:
        return _empty_chart("line", title)

    target_value = _num(target)
    y_max_value = _num(y_max)
    high = max([*known, *(v for v in (target_value, y_max_value) if v is not None)])
    low = min(0.0, *known)
    if high <= low:
        high = low + 1  # all values equal (e.g. all zero): still a usable scale
    ticks, step = _nice_ticks(low, high)
    bottom, top = ticks[0], ticks[-1]
    digits = _tick_digits(step)
    tick_texts = [_fmt(t, digits) for t in ticks]

    body = _title_row(title, f"单位：{unit}" if unit else "")
    legend, legend_h = _line_legend(names) if len(series) > 1 else ([], 0)
    body += legend

    # Margins: left fits the widest tick label (and half the first x label, which is centred on
    # the y axis); right fits half the last x label. Half a text height above the top tick.
    first_w = _text_width(categories[0], SMALL)
    last_w = _text_width(categories[-1], SMALL)
    left = max(PAD + max(_text_width(t, SMALL) for t in tick_texts) + 6, PAD + first_w / 2)
    right = WIDTH - max(PAD + 4, PAD + last_w / 2)
    plot_top = TOP + legend_h + 8
    plot_bottom = plot_top + PLOT_H
    plot_w = right - left

    def y_of(value: float) -> float:
        return plot_bottom - (value - bottom) / (top - bottom) * PLOT_H

    count = len(categories)
    # One category: in the middle. Several: the first on the y axis, the last at the right edge.
    spacing = plot_w / (count - 1) if count > 1 else 0.0
    xs = [left + i * spacing for i in range(count)] if count > 1 else [left + plot_w / 2]

    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        color = MUTED if tick == 0 else GRID  # the zero line is darker: it is the x axis
        body.append(
            f'<line class="grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
            f'stroke="{color}" stroke-width="1"/>'
        )
        body.append(
            _text(
                left - 6,
                y + SMALL * 0.35,
                text,
                size=SMALL,
                anchor="end",
                fill=MUTED,
                css="y-label",
            )
        )

    # X labels: every k-th, counted back from the last so the latest category is always shown.
    stride = _x_label_stride(categories, spacing) if count > 1 else 1
    for i, (x, label) in enumerate(zip(xs, categories, strict=True)):
        if (count - 1 - i) % stride == 0:
            body.append(
                _text(
                    x,
                    plot_bottom + 16,
                    label,
                    size=SMALL,
                    anchor="middle",
                    fill=MUTED,
                    css="x-label",
                )
            )

    if target_value is not None:
        body += _target_line(
            y_of(target_value), left, right, plot_top, target_label, target_value, unit
        )

    for index, line in enumerate(lines):
        body += _series_marks(
            xs, [None if v is None else y_of(v) for v in line], _color(None, index)
        )

    height = plot_bottom + 16 + 6 + PAD  # x labels' baseline, their descenders, the margin
    summary = "；".join(
        _series_summary(name, categories, line, unit)
        for name, line in zip(names, lines, strict=True)
    )
    if target_value is not None:
        summary += f"；{_label(target_label)} {_fmt(target_value)}{unit}"
    return _svg("line", height, title, summary, body)


def _line_legend(names: list[str]) -> tuple[list[str], float]:
    """Legend items (a short line + name) flowing left to right, wrapping; returns its height."""
    row_h = 18
    parts: list[str] = []
    x, y = PAD, TOP + 4
    for index, name in enumerate(names):
        shown = _fit(name, WIDTH / 2, FONT)
        item_w = 22 + _text_width(shown, FONT)
        if x > PAD and x + item_w > WIDTH - PAD:  # does not fit: next row
            x, y = PAD, y + row_h
        color = _esc(_color(None, index))
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y + 5)}" x2="{_n(x + 16)}" y2="{_n(y + 5)}" '
            f'stroke="{color}" stroke-width="3" stroke-linecap="round"/>'
        )
        parts.append(_text(x + 22, y + 5 + FONT * 0.35, name, max_width=WIDTH / 2, css="legend"))
        x += item_w + 14
    return parts, y - TOP + row_h


def _target_line(
    y: float, left: float, right: float, plot_top: float, label: str, value: float, unit: str
) -> list[str]:
    """A dashed line across the plot, labelled at its right end (below it if near the top)."""
    text_y = y - 4 if y - plot_top >= 14 else y + 4 + SMALL
    return [
        f'<line class="target" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"/>',
        _text(
            right,
            text_y,
            f"{_label(label)} {_fmt(value)}{unit}",
            size=SMALL,
            anchor="end",
            fill=INK,
            css="target-label",
            halo=True,
        ),
    ]


def _series_marks(xs: list[float], ys: list[float | None], color: str) -> list[str]:
    """One polyline per unbroken run of points; dots on every point when there are few of them,
    and always on a lone point (a run of one), which a polyline cannot show."""
    color = _esc(color)
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    marks = []
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            marks.append(
                f'<polyline class="series" points="{points}" fill="none" stroke="{color}" '
                f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
        if len(run) == 1 or len(xs) <= MARKERS_UP_TO:
            marks += [
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{color}" stroke="#fff" '
                f'stroke-width="1"/>'
                for x, y in run
            ]
    return marks


def _series_summary(name: str, categories: list[str], line: list[float | None], unit: str) -> str:
    """ "name：第20周至第26周，最新（第26周）87%，最高 90%（第22周），最低 40%（第20周）"."""
    known = [(label, v) for label, v in zip(categories, line, strict=True) if v is not None]
    if not known:
        return f"{name}：{EMPTY_TEXT}"
    latest = known[-1]
    highest = max(known, key=lambda p: p[1])  # first of equal maxima
    lowest = min(known, key=lambda p: p[1])
    return (
        f"{name}：{categories[0]}至{categories[-1]}，"
        f"最新（{latest[0]}）{_fmt(latest[1])}{unit}，"
        f"最高 {_fmt(highest[1])}{unit}（{highest[0]}），"
        f"最低 {_fmt(lowest[1])}{unit}（{lowest[0]}）"
    )


# --- progress bar -------------------------------------------------------------------------------


def progress_bar(value: float, *, expected: float | None = None, light: str = "green") -> str:
    """A compact bar for a table cell: filled to `value`% in the light's colour, with a thin black
    tick at `expected`% (序时进度). Both are clamped to 0..100; an unknown light is grey.

    The viewBox is 100 x 10, so one unit is one percent; it stretches to the cell's width
    (preserveAspectRatio="none") at a fixed 10 px height. The tick uses a non-scaling stroke,
    so it stays 2 px wide however wide the cell is.
    """
    done = min(max(_num(value) or 0.0, 0.0), 100.0)
    mark = _num(expected)
    color = LIGHT_COLORS.get(light, LIGHT_COLORS["grey"])
    label = f"完成 {_fmt(done)}%"
    # The bar is the middle 6 units of the 10; the tick is full height so it shows on the fill.
    parts = [
        '<rect x="0" y="2" width="100" height="6" rx="1" fill="#eaeef2"/>',
        f'<rect class="fill" x="0" y="2" width="{_n(done)}" height="6" rx="1" fill="{color}"/>',
    ]
    if mark is not None:
        mark = min(max(mark, 0.0), 100.0)
        label += f"，序时进度 {_fmt(mark)}%"
        parts.append(
            f'<line class="expected" x1="{_n(mark)}" y1="0" x2="{_n(mark)}" y2="10" '
            f'stroke="#000" stroke-width="2" vector-effect="non-scaling-stroke"/>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" '
        'viewBox="0 0 100 10" width="100%" height="10" preserveAspectRatio="none" '
        f'role="img" aria-label="{label}"><title>{label}</title>' + "".join(parts) + "</svg>"
    )
