"""Stacked columns over categorical x labels (weeks): counts that add up, e.g. lagging tasks."""

import math

from .lines import x_label_stride
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
    svg_root,
    text_el,
    text_width,
    title_row,
)

PLOT_H = 150  # height of the plotting area
COLUMN_MAX = 26  # widest column
TOTALS_UP_TO = 16  # the total above every column when there are at most this many


def _count_ticks(high: float) -> list[int]:
    """Whole-number ticks from 0 covering `high` (at least 4), at most 6 of them, 1, 2 or 5
    x 10^n apart: a count of 1 does not fill the plot."""
    high = max(high, 4.0)
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            step = m * magnitude
            if high / step <= 5:
                return list(range(0, math.ceil(high / step - 1e-9) * step + 1, step))
        magnitude *= 10


def stacked_column_chart(
    categories: list[str],
    series: list[tuple[str, list[float | None], str]],
    *,
    title: str,
    unit: str = "",
) -> str:
    """One column per category, its parts stacked bottom-up in series order: (name, values,
    colour). None is "no data" for that category (no column, no total). Negative values count
    as 0. A legend names the series; the total is printed above each column when few."""
    labels = [one_line(c) for c in categories]
    names = [one_line(name) for name, _, _ in series]
    colors = [str(color) for _, _, color in series]
    columns: list[list[float] | None] = []
    for i in range(len(labels)):
        parts = [num(values[i]) if i < len(values) else None for _, values, _ in series]
        known = [max(p, 0.0) for p in parts if p is not None]
        columns.append(None if not known else [max(p or 0.0, 0.0) for p in parts])
    if not labels or all(c is None for c in columns):
        return empty_chart("columns", title)

    totals = [None if c is None else sum(c) for c in columns]
    # Headroom above the tallest column for its total.
    ticks = _count_ticks(max(t for t in totals if t is not None) * 1.2)
    top_tick = ticks[-1]
    body = title_row(title, f"单位：{unit}" if unit else "")

    # Legend: a square and the name per series, left to right.
    x, legend_y = PAD, TOP + 12
    for name, color in zip(names, colors, strict=True):
        shown = fit(name, WIDTH / 3, FONT)
        body.append(
            f'<rect x="{coord(x)}" y="{coord(legend_y - 9)}" width="10" height="10" rx="2" '
            f'fill="{esc(color)}"/>'
        )
        body.append(text_el(x + 14, legend_y, shown, css="legend"))
        x += 14 + text_width(shown, FONT) + 14

    left = PAD + max(text_width(str(t), SMALL) for t in ticks) + 6
    right = WIDTH - PAD
    plot_top = legend_y + 18
    plot_bottom = plot_top + PLOT_H

    def y_of(value: float) -> float:
        return plot_bottom - value / top_tick * PLOT_H

    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line class="grid" x1="{coord(left)}" y1="{coord(y)}" x2="{coord(right)}" '
            f'y2="{coord(y)}" stroke="{MUTED if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(
            text_el(left - 6, y + SMALL * 0.35, str(tick), size=SMALL, anchor="end", fill=MUTED)
        )

    count = len(labels)
    slot = (right - left) / count
    width = min(COLUMN_MAX, slot * 0.64)
    stride = x_label_stride(labels, slot)
    for i, (label, parts, total) in enumerate(zip(labels, columns, totals, strict=True)):
        centre = left + slot * (i + 0.5)
        if (count - 1 - i) % stride == 0:
            body.append(
                text_el(centre, plot_bottom + 16, label, size=SMALL, anchor="middle", fill=MUTED)
            )
        if parts is None:
            continue
        base = 0.0
        for name, color, part in zip(names, colors, parts, strict=True):
            if part <= 0:
                continue
            y_top, y_bottom = y_of(base + part), y_of(base)
            body.append(
                f'<rect class="part" x="{coord(centre - width / 2)}" y="{coord(y_top)}" '
                f'width="{coord(width)}" height="{coord(y_bottom - y_top)}" '
                f'fill="{esc(color)}"><title>{esc(label)} {esc(name)} {fmt(part)}</title></rect>'
            )
            base += part
        if count <= TOTALS_UP_TO:
            body.append(
                text_el(
                    centre,
                    y_of(total) - 4,
                    fmt(total),
                    size=SMALL,
                    anchor="middle",
                    fill=INK,
                    css="total",
                )
            )

    summary = "；".join(
        f"{label}：{EMPTY_TEXT}"
        if parts is None
        else f"{label} "
        + "，".join(f"{name} {fmt(p)}" for name, p in zip(names, parts, strict=True))
        for label, parts in zip(labels, columns, strict=True)
    )
    return svg_root("columns", plot_bottom + 16 + 6 + PAD, title, summary, body)
