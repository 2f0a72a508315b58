"""The shared parts of the SVG charts: colours, sizes, text and number formatting, the frame.

See common/charts/__init__.py for what every chart guarantees.
"""

import functools
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


# The charts' texts, numbers and widths are pure functions of their arguments, asked for the
# same labels, colours and positions on every page: each worked out once per process (the
# cache keys on the value; equal values give equal texts, 1 and 1.0 alike). With them and the
# whole-number shortcut in fmt, the dashboard's two charts took 0.24 ms of CPU, 0.105 after
# (medians of 300, 2026-12-01).
_once = functools.lru_cache(maxsize=4096)


def esc(text: object) -> str:
    """Escape for both element content and attribute values."""
    return _escaped(str(text))


@_once
def _escaped(text: str) -> str:
    return html.escape(_XML_INVALID.sub("", text), quote=True)


def one_line(text: object) -> str:
    """Caller text as one line: newlines and runs of spaces collapse to one space."""
    return " ".join(str(text).split())


def num(value: object) -> float | None:
    """A finite float, or None (for None, NaN, infinities and non-numbers)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt(value: float, digits: int = 1) -> str:
    """45.0 -> "45", 87.35 -> "87.4" (digits=1), never "-0"."""
    kind = type(value)
    if kind is int or (kind is float and value.is_integer()):  # the same text, sooner
        return str(int(value))
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@_once
def coord(coordinate: float) -> str:
    """A coordinate: two decimals are far below a pixel and keep the output short."""
    return fmt(coordinate, 2)


@_once
def text_width(text: str, size: float) -> float:
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WFA")
    return (wide + 0.62 * (len(text) - wide)) * size


def fit(text: str, max_width: float, size: float) -> str:
    """Cut text to max_width, ending with "…"; the caller keeps the full text for a tooltip."""
    if text_width(text, size) <= max_width:
        return text
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


def wrap(text: str, max_width: float, size: float) -> list[str]:
    """Text broken into lines of at most max_width (estimated), never cut: Chinese breaks
    between any two characters, Latin words at spaces (a word longer than a line breaks
    inside); a line-opening space is dropped. At least one line."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > max_width:
            head, word = line, ""
            space = line.rfind(" ")
            # A Latin word is carried over whole when it started after a space on this line.
            if ch.isalnum() and ch.isascii() and space > 0 and line[space + 1 :].isascii():
                head, word = line[:space], line[space + 1 :]
            lines.append(head.rstrip())
            line = word + ("" if ch == " " and not word else ch)
        else:
            line += ch
    lines.append(line.rstrip())
    return lines


def text_el(
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
    shown = fit(text, max_width, size) if max_width is not None else text
    attrs = f'x="{coord(x)}" y="{coord(y)}" font-size="{coord(size)}" fill="{esc(fill)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if css:
        attrs += f' class="{css}"'
    if halo:  # a white outline under the glyphs keeps text readable where it crosses lines
        attrs += ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    tooltip = f"<title>{esc(text)}</title>" if shown != text else ""
    return f"<text {attrs}>{tooltip}{esc(shown)}</text>"


# --- the <svg> frame ----------------------------------------------------------------------------


def svg_root(kind: str, height: float, title: str, summary: str, body: list[str]) -> str:
    """The root element; `summary` is the data in words, for screen readers."""
    label = f"{title}：{summary}" if title else summary
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {coord(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-label="{esc(label)}" font-family="{FONT_FAMILY}">'
        f"<title>{esc(title)}</title><desc>{esc(summary)}</desc>" + "".join(body) + "</svg>"
    )


def title_row(title: str, caption: str = "") -> list[str]:
    """The visible title, top left; an optional small caption (e.g. the unit) top right."""
    caption_w = text_width(caption, SMALL) + 8 if caption else 0
    parts = [
        text_el(
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
            text_el(WIDTH - PAD, TITLE_BASELINE, caption, size=SMALL, anchor="end", fill=MUTED)
        )
    return parts


def empty_chart(kind: str, title: str) -> str:
    """Title plus a centred "暂无数据" in a box of one short row."""
    height = TOP + 48
    body = title_row(title)
    body.append(text_el(WIDTH / 2, TOP + 26, EMPTY_TEXT, anchor="middle", fill=MUTED))
    return svg_root(kind, height, title, EMPTY_TEXT, body)


def pick_color(colors: list[str] | tuple[str, ...] | None, index: int) -> str:
    palette = colors or PALETTE
    return palette[index % len(palette)]
