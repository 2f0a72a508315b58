"""The xlsx library behind common.xlsx (XlsxWriter, public API only): a workbook being
written, its sheets, and saving it atomically or into a stream. Nothing else imports the library.

Constant-memory mode: each row goes to a temporary file once the next row begins, so a sheet
must be written top to bottom. The temporary files live in a scratch directory of the workbook's
own, removed when the file is saved or the workbook is discarded.
"""

import os
import shutil
import tempfile
from pathlib import Path

import xlsxwriter

PAPER_A3 = 8
_HORIZONTAL = {"centerContinuous": "center_across"}


class Cell:
    """A value with its format, made by text_cell / number_cell / blank_cell / merged_cell.

    kind: "s" string, "n" number, "b" boolean, "d" date or time, "" blank; span: columns a
    merged cell covers (1: not merged)."""

    __slots__ = ("kind", "value", "format", "span")

    def __init__(self, kind, value, fmt, span=1):
        self.kind, self.value, self.format, self.span = kind, value, fmt, span


class Book:
    """One workbook being written. Sheets are filled row by row, top to bottom; finish with
    save_atomically(book, path) or save_to_stream(book, stream), or discard_streams(book)."""

    def __init__(self):
        self._scratch = tempfile.TemporaryDirectory(prefix="xlsx-")
        self._out = os.path.join(self._scratch.name, "book.xlsx")
        self._workbook = xlsxwriter.Workbook(
            self._out,
            {
                "constant_memory": True,
                "tmpdir": self._scratch.name,  # the row streams: removed with the scratch dir
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self._formats = {}

    def create_sheet(self, title: str) -> "Sheet":
        return Sheet(self, self._workbook.add_worksheet(title[:31]))

    def format_for(self, font, alignment, border, fill, number_format):
        """The library's format object for this combination, made once per workbook.

        Keyed by the identity of the (shared, immutable) style values, which are kept in the
        entry so their ids cannot be reused meanwhile: hashing them per cell was most of the
        styling time of a large export."""
        key = (id(font), id(alignment), id(border), id(fill), number_format)
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = (
                self._workbook.add_format(
                    _properties(font, alignment, border, fill, number_format)
                ),
                (font, alignment, border, fill),
            )
        return found[0]

    def close_into(self, write) -> None:
        """Finish the file and hand its path to `write`; the scratch space goes either way."""
        try:
            self._workbook.close()
            write(self._out)
        finally:
            self._scratch.cleanup()

    def discard(self) -> None:
        self._scratch.cleanup()


def _properties(font, alignment, border, fill, number_format) -> dict:
    props = {}
    if font is not None:
        props.update(font_name=font.name, font_size=font.size, bold=font.bold)
    if alignment is not None:
        if alignment.horizontal:
            props["align"] = _HORIZONTAL.get(alignment.horizontal, alignment.horizontal)
        if alignment.vertical:
            props["valign"] = "vcenter" if alignment.vertical == "center" else alignment.vertical
        props["text_wrap"] = alignment.wrap_text
    if border is not None:
        for side in ("left", "right", "top", "bottom"):
            if getattr(border, side):
                props[side] = 1
    if fill is not None:
        props.update(pattern=1, bg_color="#" + fill.color)
    if number_format is not None:
        props["num_format"] = number_format
    return props


def new_workbook() -> Book:
    return Book()


class Sheet:
    """A worksheet written top to bottom. `row`: how many rows are written (the last row's
    number, 1-based)."""

    def __init__(self, book: Book, worksheet):
        self.book = book
        self.worksheet = worksheet
        self.row = 0

    def append(self, cells, *, height=None) -> None:
        """Write the next row from cells made here (None: an empty column)."""
        for cell in cells:
            if cell is not None and not isinstance(cell, Cell):
                raise TypeError(f"rows take common.xlsx cells, not {cell!r}")
        index, ws = self.row, self.worksheet
        self.row += 1
        if height is not None:
            ws.set_row(index, height)
        column = 0
        for cell in cells:
            if cell is not None:
                if cell.span > 1:
                    ws.merge_range(index, column, index, column + cell.span - 1, "", cell.format)
                _write(ws, index, column, cell)
                column += cell.span
            else:
                column += 1

    def print_ready(self, *, widths, freeze, repeat_rows, header, footer) -> None:
        """Column widths, frozen panes, print titles, A3 landscape fitted to the page width,
        header and footer (set before the first row)."""
        ws = self.worksheet
        for index, width in enumerate(widths):
            ws.set_column(index, index, width)
        if freeze:
            ws.freeze_panes(freeze)
        if repeat_rows:
            ws.repeat_rows(*repeat_rows)
        ws.set_landscape()
        ws.set_paper(PAPER_A3)
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(header, {"margin": 0.3})
        ws.set_footer(footer, {"margin": 0.3})

    def autofilter(self, first_row, first_column, last_row, last_column) -> None:
        """Filter buttons over this range (0-based, inclusive)."""
        self.worksheet.autofilter(first_row, first_column, last_row, last_column)


def _write(ws, row, column, cell) -> None:
    kind = cell.kind
    if kind == "s":
        ws.write_string(row, column, cell.value, cell.format)
    elif kind == "n":
        ws.write_number(row, column, cell.value, cell.format)
    elif kind == "":
        ws.write_blank(row, column, None, cell.format)
    elif kind == "b":
        ws.write_boolean(row, column, cell.value, cell.format)
    else:
        ws.write_datetime(row, column, cell.value, cell.format)


def save_to_stream(book: Book, stream) -> None:
    """Write the finished file into a binary stream."""

    def copy(done):
        with open(done, "rb") as handle:
            shutil.copyfileobj(handle, stream)

    book.close_into(copy)


def save_atomically(book: Book, path: Path) -> None:
    """Finish the file in a temporary file beside `path`, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)

    def move(done):
        shutil.copyfile(done, tmp)  # the scratch space may be on another file system
        os.replace(tmp, path)

    try:
        book.close_into(move)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def discard_streams(book: Book) -> None:
    """Remove what a workbook abandoned half-way has written so far. Never raises."""
    book.discard()
