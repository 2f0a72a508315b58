"""Two sheets of the weekly workbook: open 需协调事项 with their age, and the period's stale
reports (与上期基本相同).

reports.coordination_rows.frozen(plan, period, as_of) runs when the period is frozen
(reports.rollup.freeze) and its plain rows are kept in the snapshot's summary under KEY;
`coordination_sheets(workbook, data)` writes them from WorkbookData.extra (no Django here, as
for every writer: the benchmark builds workbooks without a database), so the workbook of a period always shows the items
as they stood when it was rolled up. Snapshots made before this existed get no such sheets.
"""

from common.xlsx import (
    BODY_FONT,
    CENTER,
    INTEGER_FORMAT,
    TEXT,
    RowWriter,
    number_cell,
    prepare_sheet,
    span_row,
    text_cell,
)
from reports.workbook_cover import header_row

KEY = "coordination"
SHEETS = ("需协调事项", "进展停滞")
ITEM_HEADERS = (
    "序号",
    "提出单位",
    "类型",
    "存在问题",
    "协调领导/单位",
    "提出日期",
    "已过天数",
    "协调时限",
    "状态",
)
ITEM_WIDTHS = (8, 20, 12, 60, 24, 12, 10, 12, 14)
STALE_HEADERS = ("序号", "单位", "本期工作进展", "判断")
STALE_WIDTHS = (8, 22, 80, 40)
NO_ITEMS = "截至本期没有未办结的需协调事项"
NO_STALE = "本期没有与上期基本相同的报告"


def _sheet(workbook, data, title, headers, widths) -> RowWriter:
    sheet = workbook.create_sheet(title=title)
    prepare_sheet(
        sheet,
        widths=list(widths),
        freeze="A2",
        title_rows="1:1",
        page_header=f"{data.title}　{data.period_label}　{title}",
    )
    rows = RowWriter(sheet, widths)
    rows.append(header_row(sheet, headers), headers)
    return rows


def coordination_sheets(workbook, data) -> None:
    extra = data.extra.get(KEY)
    if extra is None:
        return
    rows = _sheet(workbook, data, SHEETS[0], ITEM_HEADERS, ITEM_WIDTHS)
    sheet = rows.sheet
    if not extra["items"]:
        rows.append(span_row(sheet, NO_ITEMS, len(ITEM_HEADERS), font=BODY_FONT), [""])
    for row in extra["items"]:
        texts = [row[k] for k in ("number", "unit", "kind", "text", "actors", "created")]
        rows.append(
            [
                text_cell(sheet, row["number"], alignment=CENTER),
                text_cell(sheet, row["unit"], alignment=TEXT),
                text_cell(sheet, row["kind"], alignment=CENTER),
                text_cell(sheet, row["text"], alignment=TEXT),
                text_cell(sheet, row["actors"], alignment=TEXT),
                text_cell(sheet, row["created"], alignment=CENTER),
                number_cell(sheet, row["age"], number_format=INTEGER_FORMAT),
                text_cell(sheet, row["due"], alignment=CENTER),
                text_cell(sheet, row["state"], alignment=CENTER),
            ],
            [*texts, str(row["age"]), row["due"], row["state"]],
        )
    rows = _sheet(workbook, data, SHEETS[1], STALE_HEADERS, STALE_WIDTHS)
    sheet = rows.sheet
    if not extra["stale"]:
        rows.append(span_row(sheet, NO_STALE, len(STALE_HEADERS), font=BODY_FONT), [""])
    for row in extra["stale"]:
        texts = [row["number"], row["unit"], row["progress"], row["verdict"]]
        rows.append(
            [
                text_cell(sheet, row["number"], alignment=CENTER),
                text_cell(sheet, row["unit"], alignment=TEXT),
                text_cell(sheet, row["progress"], alignment=TEXT),
                text_cell(sheet, row["verdict"], alignment=TEXT),
            ],
            texts,
        )
