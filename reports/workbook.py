"""The weekly 督查 workbook: six print-ready sheets written from a WorkbookData (common.xlsx).

Streaming (constant-memory) mode, so a 10,000-task plan stays small in memory; every cell goes
through common.xlsx, which neutralises text that Excel or WPS would run as a formula.

Layout decisions:
- Section rows (总表) and the one-line "nothing to show" rows are not merged (a merged cell
  is a nuisance when sorting or copying): the text sits in column A, unwrapped, and runs on over
  the empty cells to its right; the row is boxed by outer borders only.
- Title rows are centred across the table ("centre across selection", 跨列居中).
- 概况 (the cover) comes first: the as-of date, the counts by status and by section, and the
  period's 报送率, so the first page answers "how are we doing" before any detail.
- 完成进度, 序时进度 and 报送率 are number cells holding the percent value (45.0) with the
  format 0.0"%", so they print "45.0%", sort and filter as numbers and read back exactly; a
  missing value prints "—". 序时进度 stands beside 完成进度, so the two compare at a glance.
- 按单位 is ranked, the lowest 报送率 first (then most missing), and ends with a 合计 row;
  未报送 has one row per unit and task with the task's full text.
- 状态 carries its label as text on a traffic-light fill (colour is never the only signal).
- Every row gets a height estimated from its wrapped text (common.xlsx.fitted_height): Excel
  would size rows itself on opening, LibreOffice does not, so the printout is the same everywhere.
- Panes are frozen below the header only, no column: a column split would clip the text that
  runs on from column A.
"""

import pathlib

from common.xlsx import (
    ACROSS,
    BODY_FONT,
    CENTER,
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
    RowWriter,
    discard_streams,
    new_workbook,
    number_cell,
    prepare_sheet,
    save_atomically,
    span_row,
    text_cell,
)
from reports.workbook_applications import SHEET_NAME as APPLICATIONS_SHEET
from reports.workbook_applications import applications_sheet
from reports.workbook_coordination import coordination_sheets
from reports.workbook_cover import TOTAL, cover_sheet, generated_label, header_row, one_line
from reports.workbook_data import WorkbookData
from reports.workbook_scores import scores_sheet

SHEET_NAMES = ("概况", "总表", "按牵头领导", "按单位", "未报送", "本周变化", APPLICATIONS_SHEET)

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
    "序时进度",
    "状态",
    "下一节点",
    "上一节点是否按期完成",
    "报送情况",
    "完成时限",
    "延期后时限",
)
# Character widths for A3 landscape (fit to width scales the sum, ~300, to the page).
MAIN_WIDTHS = (7, 36, 10, 16, 20, 48, 28, 28, 10, 10, 10, 16, 21, 26, 11, 11)
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
MISSING_HEADERS = ("单位", "序号", "未报送任务")
MISSING_WIDTHS = (28, 8, 110)
COVER_WIDTHS = (40, 12, 12, 12, 12, 12, 12, 12)
CHANGE_HEADERS = ("序号", "工作任务", "上期状态", "本期状态", "新增问题")
CHANGE_WIDTHS = (8, 60, 12, 12, 70)
NO_MISSING = "本期各单位均已报送"
NO_CHANGES = "本期无状态变化"


def build_workbook(data: WorkbookData, path: pathlib.Path) -> None:
    """Write the weekly workbook to `path` atomically (a temp file beside it, then os.replace)."""
    workbook = new_workbook()
    try:
        cover_sheet(workbook, data, SHEET_NAMES[0])
        _main_sheet(workbook, data)
        _leader_sheet(workbook, data)
        _unit_sheet(workbook, data)
        _missing_sheet(workbook, data)
        _change_sheet(workbook, data)
        applications_sheet(workbook, data)  # 待审批申请 (extensions and closure)
        coordination_sheets(workbook, data)  # 需协调事项, 进展停滞 (when the snapshot has them)
        scores_sheet(workbook, data)
    except BaseException:
        discard_streams(workbook)
        raise
    save_atomically(workbook, path)


def _header_row(sheet, headers):
    return header_row(sheet, headers)


def _new_sheet(workbook, data, title, headers, widths) -> RowWriter:
    """A sheet whose row 1 is the header; the page header names the report and the week."""
    sheet = workbook.create_sheet(title=title)
    prepare_sheet(
        sheet,
        widths=list(widths),
        freeze="A2",  # rows only, as on 总表: the "nothing to show" row runs on from column A
        title_rows="1:1",
        page_header=f"{data.title}　{data.period_label}　{title}",
    )
    rows = RowWriter(sheet, widths)
    rows.append(_header_row(sheet, headers), headers)
    return rows


def _main_sheet(workbook, data: WorkbookData):
    sheet = workbook.create_sheet(title=SHEET_NAMES[1])
    width = len(MAIN_HEADERS)
    # Frozen: the title block and the header, no column. A column split would clip the section
    # and title rows, whose text runs on from column A (and freezing the task column would take
    # half a laptop screen).
    prepare_sheet(
        sheet,
        widths=list(MAIN_WIDTHS),
        freeze=f"A{MAIN_HEADER_ROW + 1}",
        title_rows=f"1:{MAIN_HEADER_ROW}",
    )
    rows = RowWriter(sheet, MAIN_WIDTHS)
    # The title rows and section rows do not wrap: one line each, however long.
    for text, font, alignment in (
        (data.title, TITLE_FONT, ACROSS),
        (data.period_label, SUBTITLE_FONT, ACROSS),
        (generated_label(data), SUBTITLE_FONT, OVERFLOW),
    ):
        rows.append(
            span_row(sheet, text, width, font=font, alignment=alignment, boxed=False),
            height=one_line(font.size),
        )
    rows.append(_header_row(sheet, MAIN_HEADERS), MAIN_HEADERS)
    for section in data.sections:
        rows.append(
            span_row(sheet, section.title, width, font=SECTION_FONT, fill=SECTION_FILL),
            height=one_line(SECTION_FONT.size),
        )
        for row in section.rows:
            fill = LIGHT_FILLS.get(row.light)
            rows.append(
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
                    number_cell(sheet, row.expected, number_format=PERCENT_FORMAT),
                    text_cell(sheet, row.status_text, alignment=CENTER, fill=fill),
                    text_cell(sheet, row.next_node, alignment=TEXT),
                    text_cell(sheet, row.last_node, alignment=TEXT),
                    text_cell(sheet, row.reporting, alignment=TEXT),
                    text_cell(sheet, row.deadline, alignment=CENTER),
                    text_cell(sheet, row.extended_deadline or "—", alignment=CENTER),
                ],
                (
                    row.number,
                    row.text,
                    row.lead_leaders,
                    row.lead_units,
                    row.cooperating_units,
                    row.progress,
                    row.problems,
                    row.next_steps,
                    None,
                    None,
                    row.status_text,
                    row.next_node,
                    row.last_node,
                    row.reporting,
                    row.deadline,
                    row.extended_deadline,
                ),
            )


def _leader_sheet(workbook, data: WorkbookData):
    labels = list(data.status_labels)
    headers = ["牵头领导", *labels, "合计", "滞后任务"]
    widths = [12, *([9] * len(labels)), 8, 80]
    rows = _new_sheet(workbook, data, SHEET_NAMES[2], headers, widths)
    sheet = rows.sheet
    for leader in data.leaders:
        counts = [leader.counts.get(label, 0) for label in labels]
        lagging = "\n".join(leader.lagging)
        rows.append(
            [
                text_cell(sheet, leader.name, alignment=CENTER),
                *(number_cell(sheet, n, number_format=INTEGER_FORMAT) for n in counts),
                number_cell(sheet, sum(leader.counts.values()), number_format=INTEGER_FORMAT),
                text_cell(sheet, lagging, alignment=TEXT),
            ],
            [leader.name, *([None] * (len(labels) + 1)), lagging],
        )


def _unit_sheet(workbook, data: WorkbookData):
    rows = _new_sheet(workbook, data, SHEET_NAMES[3], UNIT_HEADERS, UNIT_WIDTHS)
    sheet = rows.sheet
    for unit in ranked_units(data):
        counts = (unit.led, unit.cooperated, unit.due, unit.on_time, unit.late, unit.missing)
        # Nothing due: a rate would be a made-up 0 % or 100 %, so it prints "—".
        rate = unit.rate if unit.due else None
        lagging = "\n".join(unit.lagging)
        rows.append(
            [
                text_cell(sheet, unit.name, alignment=TEXT),
                *(number_cell(sheet, n, number_format=INTEGER_FORMAT) for n in counts),
                number_cell(sheet, rate, number_format=PERCENT_FORMAT),
                text_cell(sheet, lagging, alignment=TEXT),
            ],
            [unit.name, *([None] * 7), lagging],
        )
    totals = data.reporting_totals()
    if data.units:
        figures = (
            sum(u.led for u in data.units),
            sum(u.cooperated for u in data.units),
            totals["due"],
            totals["on_time"],
            totals["late"],
            totals["missing"],
        )
        rows.append(
            [
                text_cell(sheet, TOTAL, font=HEADER_FONT, alignment=CENTER, fill=SECTION_FILL),
                *(
                    number_cell(
                        sheet, n, number_format=INTEGER_FORMAT, font=HEADER_FONT, fill=SECTION_FILL
                    )
                    for n in figures
                ),
                number_cell(
                    sheet,
                    totals["rate"],
                    number_format=PERCENT_FORMAT,
                    font=HEADER_FONT,
                    fill=SECTION_FILL,
                ),
                text_cell(sheet, "", fill=SECTION_FILL),
            ],
            [TOTAL, *([None] * 8)],
        )


def ranked_units(data: WorkbookData) -> list:
    """按单位: the lowest 报送率 first, then the most missing; units with nothing due last."""
    return sorted(data.units, key=lambda u: (u.due == 0, u.rate, -u.missing, u.name))


def _missing_sheet(workbook, data: WorkbookData):
    rows = _new_sheet(workbook, data, SHEET_NAMES[4], MISSING_HEADERS, MISSING_WIDTHS)
    sheet = rows.sheet
    if not data.missing:
        rows.append(span_row(sheet, NO_MISSING, len(MISSING_HEADERS), font=BODY_FONT), [""])
        return
    for unit in data.missing:
        # One row per task with its full text; an old snapshot without it gives its short form.
        tasks = unit.full or [tuple(t.split(" ", 1)) if " " in t else (t, "") for t in unit.tasks]
        for number, text in tasks:
            rows.append(
                [
                    text_cell(sheet, unit.name, alignment=TEXT),
                    text_cell(sheet, number, alignment=CENTER),
                    text_cell(sheet, text, alignment=TEXT),
                ],
                [unit.name, number, text],
            )


def _change_sheet(workbook, data: WorkbookData):
    rows = _new_sheet(workbook, data, SHEET_NAMES[5], CHANGE_HEADERS, CHANGE_WIDTHS)
    sheet = rows.sheet
    if not data.changes:
        rows.append(span_row(sheet, NO_CHANGES, len(CHANGE_HEADERS), font=BODY_FONT), [""])
        return
    # The 总表 rows say which light each label has; the change list carries labels only.
    lights = {
        row.status_label: LIGHT_FILLS.get(row.light)
        for section in data.sections
        for row in section.rows
    }
    for change in data.changes:
        rows.append(
            [
                text_cell(sheet, change.number, alignment=CENTER),
                text_cell(sheet, change.text, alignment=TEXT),
                text_cell(sheet, change.before, alignment=CENTER, fill=lights.get(change.before)),
                text_cell(sheet, change.after, alignment=CENTER, fill=lights.get(change.after)),
                text_cell(sheet, change.new_problems, alignment=TEXT),
            ],
            (change.number, change.text, change.before, change.after, change.new_problems),
        )


__all__ = [
    "build_workbook",
    "ranked_units",
    "SHEET_NAMES",
    "MAIN_HEADERS",
    "NO_MISSING",
    "NO_CHANGES",
]
