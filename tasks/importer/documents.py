"""One entry point for every file format a plan arrives in (pure Python, no Django).

``read_document(filename, data)`` returns the parsed plan and the text kept as its source:
- ``.txt`` (UTF-8, GBK/GB18030 or UTF-16): a table flattened to text when a header row is found
  (``flattened.rows_from_text``), else the numbered-text parser (``parser.parse_plan``);
- ``.docx``: its tables under a header row, else its paragraphs as text;
- ``.xlsx``: the first sheet under its header row.
PDF is not read: its text layer is rarely clean enough; users copy the text into a .txt file.
"""

from __future__ import annotations

from pathlib import PurePath

from .docx_reader import docx_rows
from .flattened import rows_from_text
from .parser import ParsedPlan, PlanParseError, decode_document, parse_plan
from .tables import find_header, parse_rows, render_rows
from .xlsx_reader import xlsx_rows

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".txt", ".docx", ".xlsx")


def read_document(filename: str, data: bytes) -> tuple[ParsedPlan, str]:
    extension = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_BYTES:
        raise PlanParseError(
            f"文件过大（{len(data) // 1024 // 1024} MB），上限 {MAX_BYTES // 1024 // 1024} MB",
            message_en="File too large.",
        )
    if not data:
        raise PlanParseError("文件内容为空", message_en="The document is empty.")
    if extension == ".txt":
        text = decode_document(data)
        return parse_text(text), text
    if extension == ".docx":
        rows = docx_rows(data)
        text = render_rows(rows)
        if any(find_header(row.cells) for row in rows):
            return parse_rows(rows, text), text
        paragraphs = "\n".join(" ".join(cell for cell in row.cells) for row in rows)
        return parse_text(paragraphs), paragraphs
    if extension == ".xlsx":
        rows = xlsx_rows(data)
        text = render_rows(rows)
        return parse_rows(rows, text), text
    if extension == ".pdf":
        raise PlanParseError(
            "暂不支持 PDF：请在 PDF 阅读器中复制全文，另存为 .txt 后上传，或上传 Word / Excel 原件",
            message_en="PDF is not supported.",
        )
    raise PlanParseError(
        "只支持 .docx、.xlsx 和 .txt 文件", message_en=f"Unsupported extension {extension!r}."
    )


def parse_text(text: str) -> ParsedPlan:
    """A plan's text: a flattened table when it has a header row, else numbered text."""
    rows = rows_from_text(text)
    if rows is not None:
        return parse_rows(rows, text)
    return parse_plan(text)
