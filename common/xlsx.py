"""The one place cells are written: every workbook and table export goes through here.

Text a user typed must never become a formula or a DDE payload when the file is opened, so
every string that Excel or WPS would interpret (leading = + - @, tab, CR, LF) is prefixed with
an apostrophe-like quote and stored as a plain string.
"""

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def safe_value(value):
    """The value as it may go into a cell: strings that could run as formulas are neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(_DANGEROUS_START):
            return "'" + value
        return value
    if isinstance(value, bool | int | float):
        return value
    if hasattr(value, "isoformat"):
        return value
    return str(value)


def text_cell(sheet, value, *, font=BODY_FONT, alignment=WRAP, fill=None, border=BORDER):
    """A write-only cell holding `value` safely; strings are forced to the string type."""
    cell = WriteOnlyCell(sheet, value=safe_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    cell.font = font
    cell.alignment = alignment
    cell.border = border
    if fill is not None:
        cell.fill = fill
    return cell


def write_table(path: Path, *, sheet_title: str, headers: list[str], rows, widths: list[int]):
    """Write one sheet of header + rows, print-ready, to `path` atomically."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    # Write-only sheets take widths and panes before the first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.append(
        [text_cell(sheet, h, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL) for h in headers]
    )
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
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
        raise
