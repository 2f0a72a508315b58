"""Export any django-tables2 list as xlsx: the rows the filters select, in the sort shown.

Cells come from each column's value() (plain text, not HTML) and go through common.xlsx,
so text a user typed can never run as a formula in the exported file.
"""

import io

from django.http import FileResponse
from django.utils import timezone

from .xlsx import write_table


def _write(table, title: str) -> bytes:
    """The xlsx file, built in memory: no temporary file, no descriptor left open."""
    rows = iter(table.as_values())  # header first; exclude_from_export columns are left out
    header = [str(h) for h in next(rows)]
    body = list(rows)
    widths = [
        max(8, min(60, max((len(str(r[i])) for r in body[:200]), default=8) + 2))
        for i in range(len(header))
    ]
    buffer = io.BytesIO()
    write_table(buffer, sheet_title=title, headers=header, rows=body, widths=widths)
    return buffer.getvalue()


def _response(handle, title: str) -> FileResponse:
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=filename)


def export_response(table, title: str) -> FileResponse:
    return _response(io.BytesIO(_write(table, title)), title)


def export_bytes(table, title: str) -> bytes:
    """The xlsx file as bytes (for a caller that remembers it, see xlsx_response)."""
    return _write(table, title)


def xlsx_response(data: bytes, title: str) -> FileResponse:
    return _response(io.BytesIO(data), title)


def maybe_export(request, table, title: str):
    """The xlsx response when the list was asked for with ?_export=xlsx, else None."""
    if request.GET.get("_export") == "xlsx":
        return export_response(table, title)
    return None
