"""Word (.docx) plans: paragraphs and tables in document order (python-docx; no Django).

Each paragraph and each table row becomes one ``Row`` (a paragraph is a one-cell row), so the
table reader sees headings and preamble between tables as it sees merged heading rows. Merged
cells repeat their text in every grid column and row they span (python-docx does this), and a
cell's paragraphs are joined. A document without a recognisable table header is read as text
by the text parser.
"""

from __future__ import annotations

import io
import zipfile

from .parser import PlanParseError
from .tables import Row

# A .docx is a zip archive; refuse archives that would inflate beyond this (zip bombs).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000


def check_archive(data: bytes, required: str, kind_zh: str) -> None:
    """Refuse what is not an OOXML archive of the expected kind, or inflates too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PlanParseError(
            f"不是有效的 {kind_zh}文件（文件已损坏或扩展名不符）",
            message_en=f"Not a valid {kind_zh} archive.",
        ) from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise PlanParseError(
            f"{kind_zh}文件解压后过大，无法读取", message_en="Archive inflates too far."
        )
    if required not in {m.filename for m in members}:
        raise PlanParseError(
            f"不是有效的 {kind_zh}文件（缺少 {required}）",
            message_en=f"Archive lacks {required}.",
        )


def docx_rows(data: bytes) -> list[Row]:
    check_archive(data, "word/document.xml", "Word（.docx）")
    import docx  # python-docx; imported here so the text parser never needs it
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        rows: list[Row] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for table_row in block.rows:
                    cells = tuple(cell.text for cell in table_row.cells)
                    rows.append(Row(len(rows) + 1, cells))
            else:
                rows.append(Row(len(rows) + 1, (block.text,)))
    except PlanParseError:
        raise
    except Exception as error:  # python-docx and lxml raise many types on damaged files
        raise PlanParseError(
            "无法读取 Word 文件内容（文件已损坏或不是 .docx 格式）",
            message_en=f"python-docx could not read the file: {type(error).__name__}",
        ) from None
    return rows
