"""The one place cells are written: every workbook and table export goes through here.

Text a user typed must never become a formula or a DDE payload when the file is opened, so
every string that Excel or WPS would interpret (leading = + - @, tab, CR, LF) is prefixed with
an apostrophe-like quote and stored as a plain string.
"""

import math
import os
import re
import tempfile
import weakref
from decimal import Decimal
from pathlib import Path
from types import MethodType

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES as _openpyxl_temp_files
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 (and so xlsx) cannot hold; openpyxl raises IllegalCharacterError on them.
# Text pasted from Word carries \v (a manual line break) and sometimes other control codes.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Further shared styles (create style objects once: openpyxl hashes them per cell).
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=11)
SECTION_FONT = Font(name=FONT_NAME, size=10, bold=True)
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
# Traffic-light fills (Excel's own "good / neutral / bad" colours), keyed by TaskRow.light.
LIGHT_FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "grey": PatternFill("solid", fgColor="EDEDED"),
}
TEXT = Alignment(wrap_text=True, vertical="center")  # long text: left, wrapped, centred vertically
# Text that may run on into the empty cells to its right (no wrap, so it is not clipped).
OVERFLOW = Alignment(horizontal="left", vertical="center")
# "Centre across selection": the text is centred over this cell and the empty cells to its right
# that carry the same alignment. Excel and WPS (跨列居中) both support it; write-only mode cannot
# merge cells.
ACROSS = Alignment(horizontal="centerContinuous", vertical="center")
NO_BORDER = Border()
# A row that reads as one box: outer edges only, so no grid line cuts through overflowing text.
SPAN_FIRST = Border(left=THIN, top=THIN, bottom=THIN)
SPAN_MIDDLE = Border(top=THIN, bottom=THIN)
SPAN_LAST = Border(right=THIN, top=THIN, bottom=THIN)
# Values already in percent (45.0 means 45 %): a literal "%" so the number is not multiplied.
PERCENT_FORMAT = '0.0"%"'
INTEGER_FORMAT = "0"
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
    if hasattr(value, "isoformat"):
        return value
    return safe_value(str(value))


def text_cell(sheet, value, *, font=BODY_FONT, alignment=WRAP, fill=None, border=BORDER):
    """A write-only cell holding `value` safely; strings are forced to the string type."""
    value = safe_value(value)
    # "" becomes a blank (styled) cell: an empty inline string is an oddity some readers reject.
    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    apply_style(cell, font=font, alignment=alignment, border=border, fill=fill)
    return cell


# workbook -> {ids of the style objects: (StyleArray, the objects)}; see apply_style.
_RESOLVED_STYLES = weakref.WeakKeyDictionary()
# The last workbook's entry, as one tuple so that threads replace it atomically.
_last_resolved = (lambda: None, {})


def apply_style(cell, *, font=None, alignment=None, border=None, fill=None, number_format=None):
    """Give `cell` these style objects (None: leave that part at the default).

    openpyxl hashes a style object on every assignment, which made up most of the time of a
    large export. So each combination is resolved once per workbook, keyed by the identity of
    the (shared, never mutated) style objects, and later cells get a copy of its StyleArray:
    nine integers. The objects are kept in the cache so their ids cannot be reused meanwhile.
    """
    global _last_resolved
    workbook = cell.parent.parent
    last_workbook, resolved = _last_resolved
    if last_workbook() is not workbook:  # else the common case, without a weak-dict lookup
        resolved = _RESOLVED_STYLES.get(workbook)
        if resolved is None:
            resolved = _RESOLVED_STYLES.setdefault(workbook, {})
        _last_resolved = (weakref.ref(workbook), resolved)
    key = (id(font), id(alignment), id(border), id(fill), number_format)
    found = resolved.get(key)
    if found is not None:
        cell._style = StyleArray(found[0])
        return
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    resolved[key] = (StyleArray(cell._style), font, alignment, border, fill)


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
    """A write-only number cell; None, NaN and infinities (which would corrupt the file) show
    `missing` as text instead."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        return text_cell(sheet, missing, font=font, alignment=alignment, fill=fill, border=border)
    cell = WriteOnlyCell(sheet, value=value)
    apply_style(
        cell,
        font=font,
        alignment=alignment,
        border=border,
        fill=fill,
        number_format=number_format,
    )
    return cell


def blank_cell(sheet, *, font=BODY_FONT, alignment=None, fill=None, border=BORDER):
    """An empty write-only cell that still carries borders / fill (no value written at all)."""
    cell = WriteOnlyCell(sheet, value=None)
    apply_style(cell, font=font, alignment=alignment, border=border, fill=fill)
    return cell


def span_row(sheet, value, width, *, font=SECTION_FONT, fill=None, alignment=OVERFLOW, boxed=True):
    """One row of `width` cells that reads as a single merged cell: `value` in the first cell,
    the rest empty so the text runs on over them (or is centred over them with ACROSS), and,
    if `boxed`, a border around the row as a whole. Write-only mode cannot merge cells."""
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


# Row heights. Excel sizes a row of wrapped text when it opens a file, LibreOffice does not (and
# a write-only sheet cannot ask either), so rows get a height estimated from their text: the same
# in every application, a little generous rather than clipping. CJK characters are one em wide
# in any font and SimSun's Latin half an em; a column width unit is the maximum digit width of
# the workbook's default font (Calibri 11: 7 px at 96 dpi).
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


def _cells_to_row(sheet, cells, row_idx):
    """Stands in for WriteOnlyWorksheet._values_to_row (openpyxl 3.1) on a RowWriter's sheet.

    openpyxl first tries each appended item as a plain value: for a styled cell that means two
    exceptions, a repr and a throw-away cell, about a fifth of the time of a large sheet. A
    RowWriter's rows hold only cells made here (text_cell, number_cell, blank_cell; it refuses
    anything else, which also keeps raw values out), so they are placed as they are.
    """
    for column, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column = column
        cell.row = row_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        yield cell


class RowWriter:
    """Appends rows to a write-only sheet, each row with a height that fits its text.

    Write-only sheets write a row the moment it is appended, so the height is set just before
    and dropped just after (the sheet keeps nothing per row)."""

    def __init__(self, sheet, widths):
        self.sheet = sheet
        self.widths = list(widths)
        self.row = 0
        if isinstance(sheet, WriteOnlyWorksheet):
            # See _cells_to_row. An instance attribute: other sheets keep openpyxl's own.
            sheet._values_to_row = MethodType(_cells_to_row, sheet)

    def append(self, cells, texts=None, *, height=None, font_size: float = 10):
        """`texts`: the row's text, column by column (None: not to be measured)."""
        # Checked before anything is written: an error inside openpyxl's row stream would
        # leave the sheet unusable.
        for cell in cells:
            if cell is not None and not isinstance(cell, Cell):
                raise TypeError(f"RowWriter rows take common.xlsx cells, not {cell!r}")
        self.row += 1
        if height is None and texts is not None:
            height = fitted_height(texts, self.widths, font_size=font_size)
        if height is None:
            self.sheet.append(cells)
            return
        dimensions = self.sheet.row_dimensions
        # The row writer merges this entry into the <row> element's attributes. A RowDimension
        # per row (the usual `dimensions[n].height = h`) cost ~50 µs, as much as the rest of a
        # row's styling: the same two attributes go in as a plain mapping instead.
        dimensions[self.row] = {"ht": f"{height:g}", "customHeight": "1"}
        try:
            self.sheet.append(cells)
        finally:
            del dimensions[self.row]


def header_footer_text(value: str) -> str:
    """Plain text for a page header or footer: "&" starts a code there, so it is doubled."""
    return safe_value(value).replace("&", "&&")[:200]


def prepare_sheet(
    sheet,
    *,
    widths: list[float],
    freeze: str | None = None,
    title_rows: str | None = "1:1",
    page_header: str | None = None,
):
    """Column widths, frozen panes and A3-landscape print settings of a write-only sheet.

    Call before the first row is appended (write-only sheets write these at the top)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = PAGE_NUMBERS
    if page_header:
        sheet.oddHeader.center.text = header_footer_text(page_header)


def title_row(sheet, text: str, width: int) -> list:
    """A sheet's title as its first row, centred across the table's `width` columns (e.g.
    "2022年任务清单　截至2022年5月18日")."""
    return span_row(sheet, text, width, font=SUBTITLE_FONT, alignment=ACROSS, boxed=False)


def autofilter(sheet, *, header_row: int, last_row: int, width: int) -> None:
    """Filter buttons on the header row (1-based) over the data below it, down to `last_row`
    (write-only sheets too: set before the first row is appended)."""
    last = get_column_letter(max(1, width))
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(header_row, last_row)}"


def percent_cell(sheet, value, **style):
    """A percent as a number (45.0 prints "45.0%", sorts and filters as a number); None "—"."""
    return number_cell(sheet, value, number_format=PERCENT_FORMAT, **style)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


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

    title: a row above the header; filters: an autofilter over header and rows;
    number_formats: column index -> number format for the numbers in that column (the other
    columns are text)."""
    number_formats = number_formats or {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    header_row = 2 if title else 1
    rows = list(rows)
    # Write-only sheets take widths, panes and the filter before the first row.
    prepare_sheet(sheet, widths=widths, freeze=f"A{header_row + 1}", title_rows=f"1:{header_row}")
    if filters:
        autofilter(
            sheet, header_row=header_row, last_row=header_row + len(rows), width=len(headers)
        )
    if title:
        sheet.append(title_row(sheet, title, len(headers)))
    sheet.append(
        [text_cell(sheet, h, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL) for h in headers]
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
    if hasattr(path, "write"):
        try:
            workbook.save(path)
        except BaseException:
            discard_streams(workbook)
            raise
        return
    save_atomically(workbook, path)


def save_atomically(workbook, path: Path):
    """Save to a temporary file beside the target, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        discard_streams(workbook)
        raise


def discard_streams(workbook):
    """Remove the temporary files a write-only workbook streams its sheets to.

    openpyxl deletes them when it saves, or else only when the process exits: a long-lived
    worker whose export failed half-way would keep them. Best effort, never raises."""
    for sheet in getattr(workbook, "_sheets", ()):
        writer = getattr(sheet, "_writer", None)
        out = getattr(writer, "out", None)
        if not isinstance(out, str):
            continue
        for stream in (getattr(sheet, "_rows", None), writer):
            try:
                if stream is not None:
                    stream.close()
            except Exception:
                pass
        try:
            os.remove(out)
        except OSError:
            pass
        try:
            _openpyxl_temp_files.remove(out)
        except ValueError:
            pass
