"""Excel (.xlsx) plans: the first sheet, with a header row (openpyxl; no Django).

Merged cells take the value of their top-left cell, so a unit merged over several task rows is
every one of those tasks' unit. Numbers read back as written ("1", not "1.0"), dates as
"2023年6月30日".
"""

from __future__ import annotations

import datetime
import io

from .docx_reader import check_archive
from .parser import PlanParseError
from .tables import Row

MAX_ROWS = 5000
MAX_COLUMNS = 40


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def xlsx_rows(data: bytes) -> list[Row]:
    check_archive(data, "xl/workbook.xml", "Excel（.xlsx）")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        sheet = workbook.worksheets[0]
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise PlanParseError(
                f"工作表过大（{sheet.max_row} 行 × {sheet.max_column} 列），请只保留方案表格",
                message_en="Sheet too large.",
            )
        grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    grid[r - 1][c - 1] = value
    except PlanParseError:
        raise
    except Exception as error:  # openpyxl raises many types on damaged files
        raise PlanParseError(
            "无法读取 Excel 文件内容（文件已损坏或不是 .xlsx 格式）",
            message_en=f"openpyxl could not read the file: {type(error).__name__}",
        ) from None
    return [Row(number, tuple(cells)) for number, cells in enumerate(grid, 1)]
