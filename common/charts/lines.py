"""The line chart over categorical x labels (weeks), with an optional target line."""

import math

from .svg import (
    EMPTY_TEXT,
    FONT,
    GRID,
    INK,
    MUTED,
    PAD,
    SMALL,
    TOP,
    WIDTH,
    coord,
    empty_chart,
    esc,
    fit,
    fmt,
    num,
    one_line,
    pick_color,
    svg_root,
    text_el,
    text_width,
    title_row,
)

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


def x_label_stride(labels: list[str], spacing: float) -> int:
    """Show every k-th x label, k just large enough that the widest labels do not touch."""
    widest = max(text_width(label, SMALL) for label in labels)
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
    markers: list[tuple[int, float, str, str]] = (),
) -> str:
    """Lines over shared categorical x labels (e.g. "第20周").

    `markers` are single marks over the lines: (category index, value, kind, label), kind one
    of MARKER_KINDS (a node plan's nodes: met, missed, ahead, pending), each a shape of its own
    (not colour alone) with its label as a tooltip, listed in a legend under the plot and in
    the summary.

    Points are matched by position; the x labels come from the longest series. None (or NaN)
    is a gap: the line breaks there, and a point with gaps on both sides is drawn as a dot. The y
    axis starts at 0 (lower if a value is negative) and reaches at least `y_max` and `target`,
    rounded up to a nice tick. `target` is a dashed horizontal line with "`target_label` value".
    A legend appears when there is more than one series; the unit is a caption top right.
    """
    names = [one_line(name) for name, _ in series]
    categories = [
        one_line(x) for x, _ in max((points for _, points in series), key=len, default=[])
    ]
    lines = [
        [num(points[i][1]) if i < len(points) else None for i in range(len(categories))]
        for _, points in series
    ]
    known = [v for line in lines for v in line if v is not None]
    if not known:
        return empty_chart("line", title)

    target_value = num(target)
    y_max_value = num(y_max)
    high = max([*known, *(v for v in (target_value, y_max_value) if v is not None)])
    low = min(0.0, *known)
    if high <= low:
        high = low + 1  # all values equal (e.g. all zero): still a usable scale
    ticks, step = _nice_ticks(low, high)
    bottom, top = ticks[0], ticks[-1]
    digits = _tick_digits(step)
    tick_texts = [fmt(t, digits) for t in ticks]

    body = title_row(title, f"单位：{unit}" if unit else "")
    legend, legend_h = _line_legend(names) if len(series) > 1 else ([], 0)
    body += legend

    # Margins: left fits the widest tick label (and half the first x label, which is centred on
    # the y axis); right fits half the last x label. Half a text height above the top tick.
    first_w = text_width(categories[0], SMALL)
    last_w = text_width(categories[-1], SMALL)
    left = max(PAD + max(text_width(t, SMALL) for t in tick_texts) + 6, PAD + first_w / 2)
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
            f'<line class="grid" x1="{coord(left)}" y1="{coord(y)}" x2="{coord(right)}" y2="{coord(y)}" '
            f'stroke="{color}" stroke-width="1"/>'
        )
        body.append(
            text_el(
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
    stride = x_label_stride(categories, spacing) if count > 1 else 1
    for i, (x, label) in enumerate(zip(xs, categories, strict=True)):
        if (count - 1 - i) % stride == 0:
            body.append(
                text_el(
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
            xs, [None if v is None else y_of(v) for v in line], pick_color(None, index)
        )

    height = plot_bottom + 16 + 6 + PAD  # x labels' baseline, their descenders, the margin
    shown = [m for m in markers if 0 <= m[0] < count and num(m[1]) is not None]
    for index, value, kind, label in shown:
        body.append(_marker(xs[index], y_of(num(value)), kind, label))
    if shown:
        kinds = [k for k in MARKER_KINDS if any(m[2] == k for m in shown)]
        x = PAD
        for kind in kinds:
            body.append(_marker(x + 5, height + 2, kind, MARKER_KINDS[kind]))
            body.append(text_el(x + 14, height + 2 + SMALL * 0.35, MARKER_KINDS[kind], size=SMALL))
            x += 20 + text_width(MARKER_KINDS[kind], SMALL)
        height += 18
    summary = "；".join(
        _series_summary(name, categories, line, unit)
        for name, line in zip(names, lines, strict=True)
    )
    if shown:
        summary += "；节点：" + "，".join(
            f"{one_line(label)}{MARKER_KINDS.get(kind, '')}" for _, _, kind, label in shown
        )
    if target_value is not None:
        summary += f"；{one_line(target_label)} {fmt(target_value)}{unit}"
    return svg_root("line", height, title, summary, body)


# Node markers: kind -> legend text. Shapes differ, so the state reads without colour.
MARKER_KINDS = {"met": "按期完成", "missed": "未按期完成", "ahead": "提前完成", "pending": "未到期"}
_MARKER_COLORS = {"met": "#1a7f37", "missed": "#cf222e", "ahead": "#0969da", "pending": MUTED}


def _marker(x: float, y: float, kind: str, label: str) -> str:
    """A node's mark: met a filled diamond, missed a cross in a circle, ahead an upward
    triangle, pending a hollow diamond; the label is its tooltip."""
    color = esc(_MARKER_COLORS.get(kind, MUTED))
    tip = f"<title>{esc(one_line(label))}</title>"
    cx, cy = coord(x), coord(y)
    if kind == "missed":
        return (
            f'<g class="node node-missed">{tip}<circle cx="{cx}" cy="{cy}" r="5.5" fill="#fff" '
            f'stroke="{color}" stroke-width="2"/><path d="M{coord(x - 3)},{coord(y - 3)} '
            f"L{coord(x + 3)},{coord(y + 3)} M{coord(x - 3)},{coord(y + 3)} "
            f'L{coord(x + 3)},{coord(y - 3)}" stroke="{color}" stroke-width="2"/></g>'
        )
    if kind == "ahead":
        points = f"{cx},{coord(y - 6)} {coord(x + 6)},{coord(y + 4)} {coord(x - 6)},{coord(y + 4)}"
        return (
            f'<g class="node node-ahead">{tip}<polygon points="{points}" fill="{color}" '
            f'stroke="#fff" stroke-width="1"/></g>'
        )
    points = f"{cx},{coord(y - 6)} {coord(x + 6)},{cy} {cx},{coord(y + 6)} {coord(x - 6)},{cy}"
    fill = color if kind == "met" else "#fff"
    return (
        f'<g class="node node-{esc(kind)}">{tip}<polygon points="{points}" fill="{fill}" '
        f'stroke="{color}" stroke-width="2"/></g>'
    )


def _line_legend(names: list[str]) -> tuple[list[str], float]:
    """Legend items (a short line + name) flowing left to right, wrapping; returns its height."""
    row_h = 18
    parts: list[str] = []
    x, y = PAD, TOP + 4
    for index, name in enumerate(names):
        shown = fit(name, WIDTH / 2, FONT)
        item_w = 22 + text_width(shown, FONT)
        if x > PAD and x + item_w > WIDTH - PAD:  # does not fit: next row
            x, y = PAD, y + row_h
        color = esc(pick_color(None, index))
        parts.append(
            f'<line x1="{coord(x)}" y1="{coord(y + 5)}" x2="{coord(x + 16)}" y2="{coord(y + 5)}" '
            f'stroke="{color}" stroke-width="3" stroke-linecap="round"/>'
        )
        parts.append(text_el(x + 22, y + 5 + FONT * 0.35, name, max_width=WIDTH / 2, css="legend"))
        x += item_w + 14
    return parts, y - TOP + row_h


def _target_line(
    y: float, left: float, right: float, plot_top: float, label: str, value: float, unit: str
) -> list[str]:
    """A dashed line across the plot, labelled at its right end (below it if near the top)."""
    text_y = y - 4 if y - plot_top >= 14 else y + 4 + SMALL
    return [
        f'<line class="target" x1="{coord(left)}" y1="{coord(y)}" x2="{coord(right)}" y2="{coord(y)}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"/>',
        text_el(
            right,
            text_y,
            f"{one_line(label)} {fmt(value)}{unit}",
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
    color = esc(color)
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
            points = " ".join(f"{coord(x)},{coord(y)}" for x, y in run)
            marks.append(
                f'<polyline class="series" points="{points}" fill="none" stroke="{color}" '
                f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
        if len(run) == 1 or len(xs) <= MARKERS_UP_TO:
            marks += [
                f'<circle cx="{coord(x)}" cy="{coord(y)}" r="3" fill="{color}" stroke="#fff" '
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
        f"最新（{latest[0]}）{fmt(latest[1])}{unit}，"
        f"最高 {fmt(highest[1])}{unit}（{highest[0]}），"
        f"最低 {fmt(lowest[1])}{unit}（{lowest[0]}）"
    )
