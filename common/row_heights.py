"""Row heights estimated from a row's text (plain Python, no spreadsheet library).

Excel sizes a row of wrapped text when it opens a file, LibreOffice does not (and a streamed
sheet cannot ask either), so rows get a height estimated from their text: the same in every
application, a little generous rather than clipping. CJK characters are one em wide in any font
and SimSun's Latin half an em; a column width unit is the maximum digit width of the workbook's
default font (Calibri 11: 7 px at 96 dpi).
"""

LINE_SPACING = 1.45  # line pitch / font size: SimSun ~1.3, Noto/Source Han ~1.45: never clip
MAX_ROW_HEIGHT = 409  # points, Excel's limit


def text_lines(value, width: float, *, font_size: float = 10) -> int:
    """How many lines `value` wraps to in a column `width` units wide (an estimate)."""
    if value is None or value == "":
        return 1
    text = value if isinstance(value, str) else str(value)
    half_em_px = font_size * 4 / 3 / 2
    per_line = max(2, int((width * 7 - 4) / half_em_px))  # in half ems
    lines = 0
    for paragraph in text.split("\n"):
        # Wide characters count 2 half ems, ASCII 1 (len of the ASCII-only encoding).
        units = 2 * len(paragraph) - len(paragraph.encode("ascii", "ignore"))
        if units > per_line:
            # A line may break a character early (no line starts with "，" or "。").
            lines += -(-units // (per_line - 2 if per_line > 4 else per_line))
        else:
            lines += 1
    return lines


def fitted_height(values, widths, *, font_size: float = 10) -> float:
    """A row height in points that shows every value of the row (column by column) in full."""
    lines = max(
        (text_lines(v, w, font_size=font_size) for v, w in zip(values, widths, strict=False)),
        default=1,
    )
    return min(MAX_ROW_HEIGHT, round(lines * font_size * LINE_SPACING + 5, 1))
