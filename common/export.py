"""Export any django-tables2 list as xlsx: the rows the filters select, in the sort shown.

Cells come from each column's value() (plain text or numbers, not HTML) and go through
common.xlsx, so text a user typed can never run as a formula in the exported file. Row 1 is the
list's title with the as-of date, row 2 the header with an autofilter; numbers stay numbers, and
a column with ``export_kind = "percent"`` (a value in percent, 45.0) prints "45.0%".
"""

import datetime
import io

from django.http import FileResponse
from django.utils import timezone

from .xlsx import PERCENT_FORMAT, write_table


def as_of_text(as_of: datetime.date) -> str:
    return f"截至{as_of.year}年{as_of.month}月{as_of.day}日"


def _kinds(table) -> list[str]:
    # The columns of table.as_values(), in its order.
    return [
        getattr(bound.column, "export_kind", "")
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]


def _write(table, title: str, as_of: datetime.date | None) -> bytes:
    """The xlsx file, built in memory: no temporary file, no descriptor left open."""
    rows = iter(table.as_values())  # header first; exclude_from_export columns are left out
    header = [str(h) for h in next(rows)]
    body = list(rows)
    widths = [
        max(8, min(60, max((len(str(r[i])) for r in body[:200]), default=8) + 2))
        for i in range(len(header))
    ]
    # Numbers stay numbers; a percent column prints "45.0%".
    formats = {
        index: PERCENT_FORMAT if kind == "percent" else "General"
        for index, kind in enumerate(_kinds(table))
    }
    buffer = io.BytesIO()
    write_table(
        buffer,
        sheet_title=title,
        headers=header,
        rows=body,
        widths=widths,
        title=f"{title}　{as_of_text(as_of)}" if as_of else title,
        filters=True,
        number_formats=formats,
    )
    return buffer.getvalue()


def _response(handle, title: str, as_of: datetime.date | None = None) -> FileResponse:
    filename = f"{title}-{(as_of or timezone.localdate()):%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=filename)


def export_response(table, title: str, *, as_of: datetime.date | None = None) -> FileResponse:
    return _response(io.BytesIO(_write(table, title, as_of)), title, as_of)


def export_bytes(table, title: str, *, as_of: datetime.date | None = None) -> bytes:
    """The xlsx file as bytes (for a caller that remembers it, see xlsx_response)."""
    return _write(table, title, as_of)


def xlsx_response(data: bytes, title: str, *, as_of: datetime.date | None = None) -> FileResponse:
    return _response(io.BytesIO(data), title, as_of)


def maybe_export(request, table, title: str, *, as_of: datetime.date | None = None):
    """The xlsx response when the list was asked for with ?_export=xlsx, else None.

    `as_of` is the page's one "today" (tasks.clock, read by the view): it goes into the title
    row and the file name."""
    if request.GET.get("_export") == "xlsx":
        return export_response(table, title, as_of=as_of)
    return None
