"""The weekly 督查 workbook: five print-ready sheets written from a WorkbookData (openpyxl).

Streaming (write-only) mode, so a 10,000-task plan stays small in memory; every cell goes
through common.xlsx, which neutralises text that Excel or WPS would run as a formula.

Layout decisions:
- Section rows (总表) and the one-line "nothing to show" rows cannot be merged in write-only
  mode: the text sits in column A, unwrapped, and runs on over the empty cells to its right;
  the row is boxed by outer borders only, so no grid line cuts through it.
- Title rows are centred across the table ("centre across selection", 跨列居中).
- 完成进度 and 报送率 are number cells holding the percent value (45.0) with the format
  0.0"%", so they print "45.0%", sort and filter as numbers and read back exactly; a missing
  value prints "—". The 序时进度 is not printed: the 状态 label states the comparison.
- 状态 carries its label as text on a traffic-light fill (colour is never the only signal).
"""

import pathlib

from openpyxl import Workbook

from common.xlsx import (
    ACROSS,
    BODY_FONT,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER_FORMAT,
    LIGHT_FILLS,
    OVERFLOW,
    PERCENT_FORMAT,
    SECTION_FILL,
    SECTION_FONT,
    SUBTITLE_FONT,
    TEXT,
    TITLE_FONT,
    discard_streams,
    number_cell,
    prepare_sheet,
    save_atomically,
    span_row,
    text_cell,
)
from reports.workbook_data import WorkbookData

SHEET_NAMES = ("总表", "按牵头领导", "按单位", "未报送", "本周变化")

MAIN_HEADERS = (
    "序号",
    "工作任务",
    "牵头领导",
    "牵头单位",
    "配合单位",
    "本期进展",
    "存在问题",
    "下步打算",
    "完成进度",
    "状态",
    "报送情况",
)
# Character widths for A3 landscape (fit to width scales the sum, ~240, to the page).
MAIN_WIDTHS = (7, 36, 10, 16, 20, 48, 28, 28, 10, 10, 26)
MAIN_HEADER_ROW = 4  # rows 1-3: title, period, generation time
UNIT_HEADERS = (
    "单位",
    "牵头任务",
    "配合任务",
    "应报",
    "按时",
    "逾期",
    "未报",
    "报送率",
    "滞后任务",
)
UNIT_WIDTHS = (26, 9, 9, 8, 8, 8, 8, 10, 70)
MISSING_HEADERS = ("单位", "未报送任务")
MISSING_WIDTHS = (28, 110)
CHANGE_HEADERS = ("序号", "工作任务", "上期状态", "本期状态", "新增问题")
CHANGE_WIDTHS = (8, 60, 12, 12, 70)
NO_MISSING = "本期各单位均已报送"
NO_CHANGES = "本期无状态变化"


def build_workbook(data: WorkbookData, path: pathlib.Path) -> None:
    """Write the weekly workbook to `path` atomically (a temp file beside it, then os.replace)."""
    workbook = Workbook(write_only=True)
    try:
        _main_sheet(workbook, data)
        _leader_sheet(workbook, data)
        _unit_sheet(workbook, data)
        _missing_sheet(workbook, data)
        _change_sheet(workbook, data)
    except BaseException:
        discard_streams(workbook)
        raise
    save_atomically(workbook, path)


def generated_label(data: WorkbookData) -> str:
    moment = data.generated_at
    return f"生成时间：{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _header_row(sheet, headers):
    return [
        text_cell(sheet, h, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL) for h in headers
    ]


def _new_sheet(workbook, data, title, headers, widths):
    """A sheet whose row 1 is the header; the page header names the report and the week."""
    sheet = workbook.create_sheet(title=title)
    prepare_sheet(
        sheet,
        widths=list(widths),
        freeze="B2",
        title_rows="1:1",
        page_header=f"{data.title}　{data.period_label}　{title}",
    )
    sheet.append(_header_row(sheet, headers))
    return sheet


def _main_sheet(workbook, data: WorkbookData):
    sheet = workbook.create_sheet(title=SHEET_NAMES[0])
    width = len(MAIN_HEADERS)
    # Frozen: the title block and header, and 序号 (the wide task column would eat the screen).
    prepare_sheet(
        sheet,
        widths=list(MAIN_WIDTHS),
        freeze=f"B{MAIN_HEADER_ROW + 1}",
        title_rows=f"1:{MAIN_HEADER_ROW}",
    )
    sheet.append(span_row(sheet, data.title, width, font=TITLE_FONT, alignment=ACROSS, boxed=False))
    sheet.append(
        span_row(sheet, data.period_label, width, font=SUBTITLE_FONT, alignment=ACROSS, boxed=False)
    )
    sheet.append(
        span_row(
            sheet, generated_label(data), width, font=SUBTITLE_FONT, alignment=OVERFLOW, boxed=False
        )
    )
    sheet.append(_header_row(sheet, MAIN_HEADERS))
    append = sheet.append
    for section in data.sections:
        append(span_row(sheet, section.title, width, font=SECTION_FONT, fill=SECTION_FILL))
        for row in section.rows:
            append(
                [
                    text_cell(sheet, row.number, alignment=CENTER),
                    text_cell(sheet, row.text, alignment=TEXT),
                    text_cell(sheet, row.lead_leaders, alignment=CENTER),
                    text_cell(sheet, row.lead_units, alignment=CENTER),
                    text_cell(sheet, row.cooperating_units, alignment=TEXT),
                    text_cell(sheet, row.progress, alignment=TEXT),
                    text_cell(sheet, row.problems, alignment=TEXT),
                    text_cell(sheet, row.next_steps, alignment=TEXT),
                    number_cell(sheet, row.completion, number_format=PERCENT_FORMAT),
                    text_cell(
                        sheet, row.status_label, alignment=CENTER, fill=LIGHT_FILLS.get(row.light)
                    ),
                    text_cell(sheet, row.reporting, alignment=TEXT),
                ]
            )


def _leader_sheet(workbook, data: WorkbookData):
    labels = list(data.status_labels)
    headers = ["牵头领导", *labels, "合计", "滞后任务"]
    widths = [12, *([9] * len(labels)), 8, 80]
    sheet = _new_sheet(workbook, data, SHEET_NAMES[1], headers, widths)
    for leader in data.leaders:
        counts = [leader.counts.get(label, 0) for label in labels]
        sheet.append(
            [
                text_cell(sheet, leader.name, alignment=CENTER),
                *(number_cell(sheet, n, number_format=INTEGER_FORMAT) for n in counts),
                number_cell(sheet, sum(leader.counts.values()), number_format=INTEGER_FORMAT),
                text_cell(sheet, "\n".join(leader.lagging), alignment=TEXT),
            ]
        )


def _unit_sheet(workbook, data: WorkbookData):
    sheet = _new_sheet(workbook, data, SHEET_NAMES[2], UNIT_HEADERS, UNIT_WIDTHS)
    for unit in data.units:
        counts = (unit.led, unit.cooperated, unit.due, unit.on_time, unit.late, unit.missing)
        # Nothing due: a rate would be a made-up 0 % or 100 %, so it prints "—".
        rate = unit.rate if unit.due else None
        sheet.append(
            [
                text_cell(sheet, unit.name, alignment=TEXT),
                *(number_cell(sheet, n, number_format=INTEGER_FORMAT) for n in counts),
                number_cell(sheet, rate, number_format=PERCENT_FORMAT),
                text_cell(sheet, "\n".join(unit.lagging), alignment=TEXT),
            ]
        )


def _missing_sheet(workbook, data: WorkbookData):
    sheet = _new_sheet(workbook, data, SHEET_NAMES[3], MISSING_HEADERS, MISSING_WIDTHS)
    if not data.missing:
        sheet.append(span_row(sheet, NO_MISSING, len(MISSING_HEADERS), font=BODY_FONT))
        return
    for unit in data.missing:
        sheet.append(
            [
                text_cell(sheet, unit.name, alignment=TEXT),
                text_cell(sheet, "\n".join(unit.tasks), alignment=TEXT),
            ]
        )


def _change_sheet(workbook, data: WorkbookData):
    sheet = _new_sheet(workbook, data, SHEET_NAMES[4], CHANGE_HEADERS, CHANGE_WIDTHS)
    if not data.changes:
        sheet.append(span_row(sheet, NO_CHANGES, len(CHANGE_HEADERS), font=BODY_FONT))
        return
    # The 总表 rows say which light each label has; the change list carries labels only.
    lights = {
        row.status_label: LIGHT_FILLS.get(row.light)
        for section in data.sections
        for row in section.rows
    }
    for change in data.changes:
        sheet.append(
            [
                text_cell(sheet, change.number, alignment=CENTER),
                text_cell(sheet, change.text, alignment=TEXT),
                text_cell(sheet, change.before, alignment=CENTER, fill=lights.get(change.before)),
                text_cell(sheet, change.after, alignment=CENTER, fill=lights.get(change.after)),
                text_cell(sheet, change.new_problems, alignment=TEXT),
            ]
        )


__all__ = ["build_workbook", "SHEET_NAMES", "MAIN_HEADERS", "NO_MISSING", "NO_CHANGES"]
