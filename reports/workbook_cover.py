"""概况, the weekly workbook's cover: the as-of date, tasks by status and by section, 报送率.

The first page answers "how are we doing" before any detail; every figure is computed from
the same WorkbookData as the other sheets, so the cover and the sheets cannot disagree.
"""

from common.xlsx import (
    ACROSS,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER_FORMAT,
    LIGHT_FILLS,
    NO_BORDER,
    OVERFLOW,
    PERCENT_FORMAT,
    SECTION_FONT,
    SUBTITLE_FONT,
    TEXT,
    TITLE_FONT,
    RowWriter,
    blank_cell,
    fitted_height,
    number_cell,
    prepare_sheet,
    span_row,
    text_cell,
)
from reports.workbook_data import WorkbookData

TOTAL = "合计"


def generated_label(data: WorkbookData) -> str:
    moment = data.generated_at
    return f"生成时间：{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def one_line(font_size) -> float:
    return fitted_height([""], [1], font_size=font_size)


def header_row(sheet, headers):
    return [
        text_cell(sheet, h, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL) for h in headers
    ]


def as_of_label(data: WorkbookData) -> str:
    day = data.as_of
    return f"数据截至：{day.year}年{day.month}月{day.day}日" if day else ""


def cover_sheet(workbook, data: WorkbookData, title: str):
    """概况: the as-of date, tasks by status and by section, and the period's 报送率."""
    labels = list(data.status_labels)
    width = len(labels) + 2
    sheet = workbook.create_sheet(title=title)
    widths = [40, *([10] * (len(labels) + 1))]
    prepare_sheet(sheet, widths=widths, freeze=None, title_rows=None)
    rows = RowWriter(sheet, widths)
    for text, font, alignment in (
        (data.title, TITLE_FONT, ACROSS),
        (data.period_label, SUBTITLE_FONT, ACROSS),
        (as_of_label(data), SUBTITLE_FONT, OVERFLOW),
        (generated_label(data), SUBTITLE_FONT, OVERFLOW),
    ):
        rows.append(
            span_row(sheet, text, width, font=font, alignment=alignment, boxed=False),
            height=one_line(font.size),
        )
    counts = data.status_counts()
    total = sum(counts.values())
    rows.append(span_row(sheet, "一、任务状态", width, font=SECTION_FONT, boxed=False))
    rows.append(header_row(sheet, ["状态", "任务数", "占比"]), ["状态", "任务数", "占比"])
    for label in labels:
        share = round(100 * counts[label] / total, 1) if total else None
        rows.append(
            [
                text_cell(sheet, label, alignment=CENTER, fill=_label_fill(data, label)),
                number_cell(sheet, counts[label], number_format=INTEGER_FORMAT),
                number_cell(sheet, share, number_format=PERCENT_FORMAT),
            ],
            [label, None, None],
        )
    rows.append(
        [
            text_cell(sheet, TOTAL, font=HEADER_FONT, alignment=CENTER),
            number_cell(sheet, total, number_format=INTEGER_FORMAT, font=HEADER_FONT),
            number_cell(sheet, 100.0 if total else None, number_format=PERCENT_FORMAT),
        ],
        [TOTAL, None, None],
    )
    rows.append([blank_cell(sheet, border=NO_BORDER)], [""])
    rows.append(span_row(sheet, "二、各部分任务状态", width, font=SECTION_FONT, boxed=False))
    headers = ["部分", *labels, TOTAL]
    rows.append(header_row(sheet, headers), headers)
    for title, section in data.section_counts():
        figures = [section[label] for label in labels]
        rows.append(
            [
                text_cell(sheet, title, alignment=TEXT),
                *(number_cell(sheet, n, number_format=INTEGER_FORMAT) for n in figures),
                number_cell(sheet, sum(figures), number_format=INTEGER_FORMAT),
            ],
            [title, *([None] * (len(labels) + 1))],
        )
    rows.append([blank_cell(sheet, border=NO_BORDER)], [""])
    rows.append(span_row(sheet, "三、报送情况", width, font=SECTION_FONT, boxed=False))
    totals = data.reporting_totals()
    headers = ["应报", "按时", "逾期", "未报", "报送率"]
    rows.append(header_row(sheet, ["", *headers]), ["", *headers])
    rows.append(
        [
            text_cell(sheet, "本期各单位合计", alignment=CENTER),
            *(
                number_cell(sheet, totals[k], number_format=INTEGER_FORMAT)
                for k in ("due", "on_time", "late", "missing")
            ),
            number_cell(sheet, totals["rate"], number_format=PERCENT_FORMAT),
        ],
        ["本期各单位合计", *([None] * 5)],
    )


def _label_fill(data: WorkbookData, label: str):
    for section in data.sections:
        for row in section.rows:
            if row.status_label == label:
                return LIGHT_FILLS.get(row.light)
    return None
