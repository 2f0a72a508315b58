"""Horizontal bar charts and the table-cell progress bar."""

from .svg import (
    FONT,
    LIGHT_COLORS,
    MUTED,
    PAD,
    PALETTE,
    SMALL,
    TOP,
    TRACK,
    WIDTH,
    coord,
    empty_chart,
    esc,
    fmt,
    num,
    one_line,
    pick_color,
    svg_root,
    text_el,
    text_width,
    title_row,
    wrap,
)

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
    rows = [(one_line(label), num(value)) for label, value in items]
    if not rows:
        return empty_chart("bar", title)
    values = [v or 0.0 for _, v in rows]
    scale = num(max_value) or 0.0
    if scale <= 0:
        scale = max(values)
    if scale <= 0:
        scale = 1.0  # all zero: empty tracks, and no division by zero
    value_texts = [f"{fmt(v)}{unit}" for v in values]

    # Columns: labels right-aligned against the bars (at most 38% of the width, longer ones are
    # cut); bars; then room for the widest value text, so no value is ever clipped.
    label_w = min(max(text_width(label, FONT) for label, _ in rows), WIDTH * 0.38)
    value_w = max(text_width(text, FONT) for text in value_texts)
    bar_x = PAD + label_w + 8
    track_w = max(WIDTH - PAD - value_w - 6 - bar_x, 40.0)

    body = title_row(title)
    for i, ((label, _), value, text) in enumerate(zip(rows, values, value_texts, strict=True)):
        top = TOP + i * BAR_ROW
        bar_y = top + (BAR_ROW - BAR_THICK) / 2
        baseline = top + BAR_ROW / 2 + FONT * 0.35  # optical vertical centre of 13-unit text
        length = track_w * min(max(value, 0.0), scale) / scale
        body.append(
            text_el(PAD + label_w, baseline, label, anchor="end", max_width=label_w, css="label")
        )
        body.append(
            f'<rect x="{coord(bar_x)}" y="{coord(bar_y)}" width="{coord(track_w)}" '
            f'height="{BAR_THICK}" rx="2" fill="{TRACK}"/>'
        )
        if length > 0:
            body.append(
                f'<rect class="bar" x="{coord(bar_x)}" y="{coord(bar_y)}" width="{coord(length)}" '
                f'height="{BAR_THICK}" rx="2" fill="{esc(pick_color(colors or PALETTE[:1], i))}"/>'
            )
        body.append(text_el(bar_x + length + 4, baseline, text, css="value"))

    height = TOP + len(rows) * BAR_ROW + PAD
    summary = "，".join(
        f"{label} {text}" for (label, _), text in zip(rows, value_texts, strict=True)
    )
    return svg_root("bar", height, title, summary, body)


# --- progress bar -------------------------------------------------------------------------------


def progress_bar(value: float, *, expected: float | None = None, light: str = "green") -> str:
    """A compact bar for a table cell: filled to `value`% in the light's colour, with a thin black
    tick at `expected`% (序时进度). Both are clamped to 0..100; an unknown light is grey.

    The viewBox is 100 x 10, so one unit is one percent; it stretches to the cell's width
    (preserveAspectRatio="none") at a fixed 10 px height. The tick uses a non-scaling stroke,
    so it stays 2 px wide however wide the cell is.
    """
    done = min(max(num(value) or 0.0, 0.0), 100.0)
    mark = num(expected)
    color = LIGHT_COLORS.get(light, LIGHT_COLORS["grey"])
    label = f"完成 {fmt(done)}%"
    # The bar is the middle 6 units of the 10; the tick is full height so it shows on the fill.
    parts = [
        '<rect x="0" y="2" width="100" height="6" rx="1" fill="#eaeef2"/>',
        f'<rect class="fill" x="0" y="2" width="{coord(done)}" height="6" rx="1" fill="{color}"/>',
    ]
    if mark is not None:
        mark = min(max(mark, 0.0), 100.0)
        label += f"，序时进度 {fmt(mark)}%"
        parts.append(
            f'<line class="expected" x1="{coord(mark)}" y1="0" x2="{coord(mark)}" y2="10" '
            f'stroke="#000" stroke-width="2" vector-effect="non-scaling-stroke"/>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" '
        'viewBox="0 0 100 10" width="100%" height="10" preserveAspectRatio="none" '
        f'role="img" aria-label="{label}"><title>{label}</title>' + "".join(parts) + "</svg>"
    )


# --- bars against 序时进度 ------------------------------------------------------------------------

PACE_LINE = 16  # one wrapped label line
PACE_BAR = 12  # bar height
PACE_GAP = 10  # air below each item
MARKER_COLOR = "#000"


def pace_bar_chart(
    items: list[tuple[str, float, float | None, str]],
    *,
    title: str,
    unit: str = "%",
    max_value: float = 100,
) -> str:
    """One bar per item against its 序时 marker: (label, value, expected, colour).

    The whole label is shown, wrapped over as many lines as it needs above its bar (never cut).
    The bar runs over the full width; a black tick at `expected` marks 序时进度, so a short bar
    that is on pace reads as on pace. The value and the 序时 figure are printed at the right.
    Values are clamped to 0..max_value for drawing; the printed figures are the real ones.
    """
    rows = [
        (one_line(label), num(value) or 0.0, num(expected), str(color))
        for label, value, expected, color in items
    ]
    if not rows:
        return empty_chart("pace", title)
    scale = num(max_value) or 100.0
    value_texts = [f"{fmt(v)}{unit}" for _, v, _, _ in rows]
    pace_texts = ["" if e is None else f"序时{fmt(e)}{unit}" for _, _, e, _ in rows]
    value_w = max(text_width(t, FONT) for t in value_texts)
    pace_w = max(text_width(t, SMALL) for t in pace_texts)
    track_w = WIDTH - 2 * PAD - max(value_w, pace_w) - 8
    body = title_row(title)
    legend_y = TOP + 6
    body.append(
        f'<line x1="{coord(PAD + 4)}" y1="{coord(legend_y - 9)}" x2="{coord(PAD + 4)}" '
        f'y2="{coord(legend_y + 2)}" stroke="{MARKER_COLOR}" stroke-width="2"/>'
    )
    body.append(text_el(PAD + 10, legend_y, "序时进度", size=SMALL, fill=MUTED, css="legend"))
    y = legend_y + 10
    for (label, value, expected, color), value_text, pace_text in zip(
        rows, value_texts, pace_texts, strict=True
    ):
        for line in wrap(label, WIDTH - 2 * PAD, FONT):
            y += PACE_LINE
            body.append(text_el(PAD, y - 4, line, css="label"))
        bar_y = y + 2
        body.append(
            f'<rect x="{coord(PAD)}" y="{coord(bar_y)}" width="{coord(track_w)}" '
            f'height="{PACE_BAR}" rx="2" fill="{TRACK}"/>'
        )
        length = track_w * min(max(value, 0.0), scale) / scale
        if length > 0:
            body.append(
                f'<rect class="bar" x="{coord(PAD)}" y="{coord(bar_y)}" width="{coord(length)}" '
                f'height="{PACE_BAR}" rx="2" fill="{esc(color)}"/>'
            )
        if expected is not None:
            x = PAD + track_w * min(max(expected, 0.0), scale) / scale
            body.append(
                f'<line class="expected" x1="{coord(x)}" y1="{coord(bar_y - 3)}" '
                f'x2="{coord(x)}" y2="{coord(bar_y + PACE_BAR + 3)}" stroke="{MARKER_COLOR}" '
                f'stroke-width="2"/>'
            )
        text_x = PAD + track_w + 8
        body.append(text_el(text_x, bar_y + PACE_BAR - 2, value_text, css="value"))
        if pace_text:
            body.append(
                text_el(
                    text_x, bar_y + PACE_BAR + 10, pace_text, size=SMALL, fill=MUTED, css="pace"
                )
            )
        y = bar_y + PACE_BAR + PACE_GAP + 4
    summary = "，".join(
        f"{label} {value_text}" + (f"（{pace_text}）" if pace_text else "")
        for (label, *_), value_text, pace_text in zip(rows, value_texts, pace_texts, strict=True)
    )
    return svg_root("pace", y + PAD, title, summary, body)
