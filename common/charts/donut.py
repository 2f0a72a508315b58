"""The donut (ring) chart with its legend."""

import math

from .svg import (
    EMPTY_TEXT,
    FONT,
    MUTED,
    PAD,
    SMALL,
    TOP,
    TRACK,
    WIDTH,
    coord,
    esc,
    fmt,
    num,
    one_line,
    svg_root,
    text_el,
    text_width,
    title_row,
)

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
    return f"{coord(cx + r * math.sin(angle))},{coord(cy - r * math.cos(angle))}"


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
        f'<circle class="{css}" cx="{coord(cx)}" cy="{coord(cy)}" r="{coord((R_OUT + R_IN) / 2)}" '
        f'fill="none" stroke="{esc(color)}" stroke-width="{R_OUT - R_IN}">{inner}</circle>'
    )


def donut_chart(parts: list[tuple[str, float, str]], *, title: str, center_text: str = "") -> str:
    """A ring of (label, value, colour) parts, clockwise from 12 o'clock, and a legend with
    label, value and percent. Negative values count as 0. With no parts or a zero total: a grey
    ring with "暂无数据" in the middle (the legend still lists the parts, at 0%)."""
    rows = [
        (one_line(label), max(num(value) or 0.0, 0.0), str(color)) for label, value, color in parts
    ]
    values = [v for _, v, _ in rows]
    total = sum(values)
    percents = _percentages(values)

    # The ring and the legend sit side by side, both vertically centred in the taller of the two.
    content_h = max(2 * R_OUT + 16, len(rows) * LEGEND_ROW + 8)
    cx, cy = PAD + 4 + R_OUT, TOP + content_h / 2
    body = title_row(title)

    if total <= 0:
        body.append(_full_ring(cx, cy, TRACK, "ring-empty"))
        body.append(text_el(cx, cy + FONT * 0.35, EMPTY_TEXT, anchor="middle", fill=MUTED))
    else:
        turn = 0.0
        for (label, value, color), percent in zip(rows, percents, strict=True):
            if value <= 0:
                continue
            share = value / total
            tooltip = f"<title>{esc(label)} {fmt(value)}（{fmt(percent)}%）</title>"
            if share >= 0.99995:  # one part is (nearly) everything: a whole ring
                body.append(_full_ring(cx, cy, color, "slice", tooltip))
            else:  # thin white edges keep neighbouring slices of similar colour apart
                body.append(
                    f'<path class="slice" d="{_ring_sector(cx, cy, turn, turn + share)}" '
                    f'fill="{esc(color)}" stroke="#fff" stroke-width="1">{tooltip}</path>'
                )
            turn += share
        if center_text:
            body.append(_center_text(cx, cy, one_line(center_text)))

    # Legend columns, from the right edge: percent, value (both right-aligned), then the label in
    # whatever is left (cut with "…" when too long).
    legend_x = cx + R_OUT + 16
    pct_texts = [f"{fmt(p)}%" for p in percents]
    value_texts = [fmt(v) for v in values]
    pct_w = max([text_width("99.9%", FONT)] + [text_width(t, FONT) for t in pct_texts])
    value_w = max((text_width(t, FONT) for t in value_texts), default=0)
    pct_right = WIDTH - PAD
    value_right = pct_right - pct_w - 8
    label_x = legend_x + 16
    label_w = max(value_right - value_w - 8 - label_x, 30)
    legend_top = TOP + (content_h - len(rows) * LEGEND_ROW) / 2
    for i, (label, _, color) in enumerate(rows):
        baseline = legend_top + i * LEGEND_ROW + LEGEND_ROW / 2 + FONT * 0.35
        body.append(
            f'<rect x="{coord(legend_x)}" y="{coord(baseline - 10)}" width="10" height="10" rx="2" '
            f'fill="{esc(color)}"/>'
        )
        body.append(text_el(label_x, baseline, label, max_width=label_w, css="label"))
        body.append(text_el(value_right, baseline, value_texts[i], anchor="end", css="value"))
        body.append(
            text_el(pct_right, baseline, pct_texts[i], anchor="end", fill=MUTED, css="percent")
        )

    if total <= 0:
        summary = EMPTY_TEXT
    else:
        summary = "，".join(
            f"{label} {v}（{p}）"
            for (label, _, _), v, p in zip(rows, value_texts, pct_texts, strict=True)
        )
        summary += f"；合计 {fmt(total)}"
    return svg_root("donut", TOP + content_h + PAD, title, summary, body)


def _center_text(cx: float, cy: float, text: str) -> str:
    """Big text in the hole: 20 units, shrunk (to 11 at least) so it fits in the hole."""
    room = 2 * R_IN - 12
    size = max(min(20.0, room / max(text_width(text, 1), 0.01)), SMALL)
    return text_el(
        cx, cy + size * 0.35, text, size=size, anchor="middle", bold=True, max_width=room
    )
