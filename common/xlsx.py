"""The one place xlsx files are written: every workbook and table export goes through here.

XlsxWriter in constant-memory mode (each row goes to disk once the next begins), through its
public API only; openpyxl reads uploads and, in the tests, reads these files back. Callers see
this module's own small style values and cells, never the library's.

Text a user typed must never become a formula or a DDE payload when the file is opened, so
every string that Excel or WPS would interpret (leading = + - @, tab, CR, LF) is prefixed with
an apostrophe-like quote and stored as a plain string (write_string: never a formula or a link).

Files go to a temporary file and are moved into place (os.replace) only when complete, or are
written into a binary stream (an io.BytesIO). A failed build leaves nothing behind.
"""

import datetime
import decimal
import math
import re
from dataclasses import dataclass

from .row_heights import fitted_height
from .xlsx_book import (
    Book,
    Cell,
    Sheet,
    discard_streams,
    new_workbook,
    save_atomically,
    save_to_stream,
)

FONT_NAME = "宋体"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 (and so xlsx) cannot hold. Text pasted from Word carries \v (a manual line
# break) and sometimes other control codes.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


@dataclass(frozen=True)
class Font:
    size: float = 10
    bold: bool = False
    name: str = FONT_NAME

    @property
    def sz(self) -> float:  # the name openpyxl readers know
        return self.size


@dataclass(frozen=True)
class Fill:
    """A solid background, `color` as six hex digits."""

    color: str


@dataclass(frozen=True)
class Alignment:
    horizontal: str | None = None  # left, center, centerContinuous
    vertical: str | None = None  # top, center
    wrap_text: bool = False


@dataclass(frozen=True)
class Border:
    """Thin black lines on the sides named."""

    left: bool = False
    right: bool = False
    top: bool = False
    bottom: bool = False


BORDER = Border(True, True, True, True)
BODY_FONT = Font(10)
HEADER_FONT = Font(10, bold=True)
HEADER_FILL = Fill("D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(16, bold=True)
SUBTITLE_FONT = Font(11)
SECTION_FONT = Font(10, bold=True)
SECTION_FILL = Fill("F2F2F2")
# Traffic-light fills (Excel's own "good / neutral / bad" colours), keyed by TaskRow.light.
LIGHT_FILLS = {
    "green": Fill("C6EFCE"),
    "yellow": Fill("FFEB9C"),
    "red": Fill("FFC7CE"),
    "grey": Fill("EDEDED"),
}
TEXT = Alignment(wrap_text=True, vertical="center")  # long text: left, wrapped, centred vertically
# Text that may run on into the empty cells to its right (no wrap, so it is not clipped).
OVERFLOW = Alignment(horizontal="left", vertical="center")
# "Centre across selection" (跨列居中 in WPS): the text is centred over this cell and the empty
# cells to its right that carry the same alignment.
ACROSS = Alignment(horizontal="centerContinuous", vertical="center")
# A merged title (see merged_cell): centred over the merged cells, one line.
TITLE_ALIGN = Alignment(horizontal="center", vertical="center")
NO_BORDER = Border()
# A row that reads as one box: outer edges only, so no grid line cuts through overflowing text.
SPAN_FIRST = Border(left=True, top=True, bottom=True)
SPAN_MIDDLE = Border(top=True, bottom=True)
SPAN_LAST = Border(right=True, top=True, bottom=True)
# Values already in percent (45.0 means 45 %): a literal "%" so the number is not multiplied.
PERCENT_FORMAT = '0.0"%"'
# Fractions (0.45 means 45 %): Excel's own percent format.
FRACTION_PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MISSING = "—"
PAGE_NUMBERS = "第 &P 页，共 &N 页"


def safe_value(value):
    """The value as it may go into a cell: strings that could run as formulas are neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub(lambda m: _LINE_BREAKS.get(m.group(), ""), value)
        if value.startswith(_DANGEROUS_START):
            return "'" + value
        return value
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value
    return safe_value(str(value))


def text_cell(sheet, value, *, font=BODY_FONT, alignment=WRAP, fill=None, border=BORDER):
    """A cell holding `value` safely: strings stay strings, numbers and dates keep their type."""
    value = safe_value(value)
    number_format = None
    if isinstance(value, bool):
        kind = "b"
    elif isinstance(value, int | float):
        kind = "n" if math.isfinite(value) else ""
    elif isinstance(value, datetime.date | datetime.time):
        kind = "d"
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)  # local time (Django sets TZ)
        number_format = DATETIME_FORMAT if isinstance(value, datetime.datetime) else DATE_FORMAT
    else:
        # "" becomes a blank (styled) cell: an empty string cell is an oddity some readers reject.
        kind = "s" if value else ""
    fmt = sheet.book.format_for(font, alignment, border, fill, number_format)
    return Cell(kind, value, fmt)


def number_cell(
    sheet,
    value,
    *,
    number_format="General",
    font=BODY_FONT,
    alignment=CENTER,
    fill=None,
    border=BORDER,
    missing=MISSING,
):
    """A number cell shown with `number_format`; None, NaN and infinities (which would corrupt
    the file) show `missing` as text instead."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        return text_cell(sheet, missing, font=font, alignment=alignment, fill=fill, border=border)
    fmt = sheet.book.format_for(font, alignment, border, fill, number_format)
    return Cell("n", value, fmt)


def percent_cell(sheet, value, *, fraction=False, **style):
    """A percent number cell: 45.0 shows "45.0%" (or, with fraction=True, 0.45 does)."""
    number_format = FRACTION_PERCENT_FORMAT if fraction else PERCENT_FORMAT
    return number_cell(sheet, value, number_format=number_format, **style)


def blank_cell(sheet, *, font=BODY_FONT, alignment=None, fill=None, border=BORDER):
    """An empty cell that still carries borders / fill (no value written at all)."""
    return Cell("", None, sheet.book.format_for(font, alignment, border, fill, None))


def merged_cell(
    sheet, value, width, *, font=TITLE_FONT, alignment=TITLE_ALIGN, fill=None, border=NO_BORDER
):
    """One cell merged over `width` columns holding `value` (text, safely)."""
    cell = text_cell(sheet, value, font=font, alignment=alignment, fill=fill, border=border)
    if width > 1:
        cell.span = width
        if cell.kind == "":  # a merged range needs a written first cell
            cell.kind, cell.value = "s", ""
    return cell


def title_row(sheet, text, width, *, font=TITLE_FONT, alignment=TITLE_ALIGN):
    """A row holding one bold title merged over `width` columns (append it to a sheet)."""
    return [merged_cell(sheet, text, width, font=font, alignment=alignment)]


def autofilter(sheet, *, header_row: int, last_row: int, width: int) -> None:
    """Filter buttons on the header row (1-based) over the data below it, down to `last_row`."""
    sheet.autofilter(header_row - 1, 0, max(last_row, header_row) - 1, width - 1)


def span_row(sheet, value, width, *, font=SECTION_FONT, fill=None, alignment=OVERFLOW, boxed=True):
    """One row of `width` cells that reads as a single cell: `value` in the first cell, the rest
    empty so the text runs on over them (or is centred over them with ACROSS), and, if `boxed`,
    a border around the row as a whole. (merged_cell merges instead.)"""
    if width == 1:
        return [text_cell(sheet, value, font=font, alignment=alignment, fill=fill)]
    first, middle, last = (SPAN_FIRST, SPAN_MIDDLE, SPAN_LAST) if boxed else (NO_BORDER,) * 3
    cells = [text_cell(sheet, value, font=font, alignment=alignment, fill=fill, border=first)]
    # Centre-across needs the same alignment on the empty cells; overflow needs them empty only.
    rest = alignment if alignment.horizontal == "centerContinuous" else None
    cells += [
        blank_cell(sheet, font=font, alignment=rest, fill=fill, border=middle)
        for _ in range(width - 2)
    ]
    cells.append(blank_cell(sheet, font=font, alignment=rest, fill=fill, border=last))
    return cells


class RowWriter:
    """Appends rows to a sheet, each row with a height that fits its text."""

    def __init__(self, sheet: Sheet, widths):
        self.sheet = sheet
        self.widths = list(widths)

    @property
    def row(self) -> int:
        return self.sheet.row

    def append(self, cells, texts=None, *, height=None, font_size: float = 10):
        """`texts`: the row's text, column by column (None: not to be measured)."""
        if height is None and texts is not None:
            height = fitted_height(texts, self.widths, font_size=font_size)
        self.sheet.append(cells, height=height)


def _is_number(value) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def header_footer_text(value: str) -> str:
    """Plain text for a page header or footer: "&" starts a code there, so it is doubled."""
    return safe_value(value).replace("&", "&&")[:200]


def prepare_sheet(
    sheet: Sheet,
    *,
    widths: list[float],
    freeze: str | None = None,
    title_rows: str | None = "1:1",
    page_header: str | None = None,
):
    """Column widths, frozen panes and A3-landscape print settings (call before any row)."""
    repeat = None
    if title_rows:
        first, last = (int(n) for n in title_rows.split(":"))
        repeat = (first - 1, last - 1)
    sheet.print_ready(
        widths=widths,
        freeze=freeze,
        repeat_rows=repeat,
        header="&C" + header_footer_text(page_header) if page_header else "",
        footer="&C" + PAGE_NUMBERS,
    )


def write_table(
    path,
    *,
    sheet_title: str,
    headers: list[str],
    rows,
    widths: list[int],
    title: str | None = None,
    filters: bool = False,
    number_formats: dict[int, str] | None = None,
):
    """Write one sheet of header + rows, print-ready, to `path` atomically, or into a binary
    stream (an io.BytesIO) when `path` is one.

    title: a merged bold row above the header; filters: an autofilter over header and rows;
    number_formats: column index -> number format for the numbers in that column."""
    number_formats = number_formats or {}
    book = new_workbook()
    try:
        sheet = book.create_sheet(sheet_title)
        header_row = 2 if title else 1
        prepare_sheet(
            sheet, widths=widths, freeze=f"A{header_row + 1}", title_rows=f"1:{header_row}"
        )
        if title:
            sheet.append(title_row(sheet, title, len(headers)), height=fitted_height([""], [1]) * 2)
        sheet.append(
            [
                text_cell(sheet, h, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL)
                for h in headers
            ]
        )
        for row in rows:
            sheet.append(
                [
                    number_cell(sheet, value, number_format=number_formats[index], missing="")
                    if index in number_formats and _is_number(value)
                    else text_cell(sheet, value)
                    for index, value in enumerate(row)
                ]
            )
        if filters:
            autofilter(sheet, header_row=header_row, last_row=sheet.row, width=len(headers))
    except BaseException:
        book.discard()
        raise
    if hasattr(path, "write"):
        save_to_stream(book, path)
    else:
        save_atomically(book, path)


# The public API (the office's exports and the weekly workbook use these; keep the names).
__all__ = [
    "ACROSS",
    "Alignment",
    "BODY_FONT",
    "BORDER",
    "Book",
    "Border",
    "CENTER",
    "Cell",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FONT_NAME",
    "FRACTION_PERCENT_FORMAT",
    "Fill",
    "Font",
    "HEADER_FILL",
    "HEADER_FONT",
    "INTEGER_FORMAT",
    "LIGHT_FILLS",
    "MISSING",
    "NO_BORDER",
    "OVERFLOW",
    "PAGE_NUMBERS",
    "PERCENT_FORMAT",
    "RowWriter",
    "SECTION_FILL",
    "SECTION_FONT",
    "SPAN_FIRST",
    "SPAN_LAST",
    "SPAN_MIDDLE",
    "SUBTITLE_FONT",
    "Sheet",
    "TEXT",
    "TITLE_ALIGN",
    "TITLE_FONT",
    "WRAP",
    "autofilter",
    "blank_cell",
    "discard_streams",
    "fitted_height",
    "header_footer_text",
    "merged_cell",
    "new_workbook",
    "number_cell",
    "percent_cell",
    "prepare_sheet",
    "safe_value",
    "save_atomically",
    "save_to_stream",
    "span_row",
    "text_cell",
    "title_row",
    "write_table",
]
