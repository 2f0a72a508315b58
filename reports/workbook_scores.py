"""单位考核, a sheet of the workbook: the month's ranking of units as frozen with the snapshot
(reports.ranking.snapshot_rows), the formula above it, the top and bottom five filled."""

from common.xlsx import (
    CENTER,
    INTEGER_FORMAT,
    LIGHT_FILLS,
    OVERFLOW,
    PERCENT_FORMAT,
    SUBTITLE_FONT,
    TEXT,
    TITLE_FONT,
    RowWriter,
    number_cell,
    prepare_sheet,
    span_row,
    text_cell,
)
from reports.workbook_cover import header_row
from reports.workbook_data import WorkbookData

SHEET_NAME = "单位考核"
WIDTHS = [6, 26, 8, 9, 7, 11, 9, 9, 6, 6, 6, 12, 6, 70]
NUMBER_FORMATS = {0: INTEGER_FORMAT, 2: "0.0", 5: PERCENT_FORMAT}


def scores_sheet(workbook, data: WorkbookData) -> None:
    """The sheet, when the snapshot carries the month's scores (older snapshots do not)."""
    scores = data.scores
    if not scores:
        return
    sheet = workbook.create_sheet(title=SHEET_NAME)
    headers = scores["headers"]
    prepare_sheet(
        sheet,
        widths=WIDTHS,
        freeze=None,
        title_rows=None,
        page_header=f"{data.title}　{SHEET_NAME}",
    )
    rows = RowWriter(sheet, WIDTHS)
    width = len(headers)
    day = scores["as_of"]
    rows.append(
        span_row(sheet, f"{scores['label']}单位考核排名", width, font=TITLE_FONT, boxed=False)
    )
    rows.append(
        span_row(sheet, f"数据截至{day}；只对单位考核，不对个人排名。", width,
                 font=SUBTITLE_FONT, alignment=OVERFLOW, boxed=False)
    )  # fmt: skip
    for number, line in enumerate(scores["formula"]):
        text = f"得分 = {line}" if number == 0 else f"　　　+ {line}" if number < 7 else line
        rows.append(span_row(sheet, text, width, font=SUBTITLE_FONT, alignment=OVERFLOW,
                             boxed=False))  # fmt: skip
    rows.append(header_row(sheet, headers), headers)
    body = scores["rows"]
    marks = scores.get("marks") or [""] * len(body)
    for values, mark in zip(body, marks, strict=False):
        fill = {"top": LIGHT_FILLS["green"], "bottom": LIGHT_FILLS["red"]}.get(mark)
        cells = []
        for column, value in enumerate(values):
            if isinstance(value, int | float) and not isinstance(value, bool):
                number_format = NUMBER_FORMATS.get(column, INTEGER_FORMAT)
                cells.append(number_cell(sheet, value, number_format=number_format, fill=fill))
            else:
                alignment = TEXT if column in (1, width - 1) else CENTER
                cells.append(text_cell(sheet, value, alignment=alignment, fill=fill))
        rows.append(cells, [None, values[1], *([None] * (width - 3)), values[-1]])
