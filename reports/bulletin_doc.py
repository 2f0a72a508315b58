"""The 督查通报 as a Word document: BulletinContent laid out with common.docx.

The headings and tables here are the ones the preview page shows (the same names, in the same
order), so what the office reads in the browser is what it issues.
"""

from pathlib import Path

from common.docx import Column, DocxWriter

from .bulletin import BulletinContent, percent

HEADINGS = ("一、总体情况", "二、指标完成情况", "三、滞后任务", "四、报送情况", "五、下步要求")
LAGGING_COLUMNS = (
    Column("序号", 12, True),
    Column("任务", 44),
    Column("牵头领导", 17, True),
    Column("牵头单位", 25, True),
    Column("完成/序时", 22, True),
    Column("存在问题", 36),
)
INDICATOR_COLUMNS = (
    Column("任务", 12, True),
    Column("指标", 42),
    Column("目标", 30, True),
    Column("完成值", 20, True),
    Column("完成率", 17, True),
    Column("序时进度", 17, True),
    Column("状态", 18, True),
)


def indicator_rows(content: BulletinContent) -> list[tuple[str, ...]]:
    return [
        (
            i.task_number,
            i.name,
            i.target,
            i.actual,
            percent(i.completion),
            percent(i.expected),
            ("未报" if i.completion is None else "滞后") if i.behind else "正常",
        )
        for i in content.indicators
    ]


def lagging_rows(content: BulletinContent) -> list[tuple[str, ...]]:
    return [
        (line.number, line.task, line.leaders, line.units, line.progress_text, line.problems)
        for line in content.lagging
    ]


def closing_lines(content: BulletinContent) -> list[str]:
    return [
        text
        for text in (
            f"报送：{content.send_to}" if content.send_to.strip() else "",
            f"抄送：{content.copy_to}" if content.copy_to.strip() else "",
            f"{content.issuer}　　{content.date_text}印发",
        )
        if text
    ]


def write_bulletin(content: BulletinContent, path: Path | None = None) -> bytes | None:
    """Write the bulletin to `path` (atomically), or return its bytes when no path is given."""
    doc = DocxWriter()
    doc.masthead(content.masthead, content.number_line, content.issuer, content.date_text)
    doc.paragraph(content.title, "公文标题")
    doc.heading(HEADINGS[0])
    doc.paragraph(content.summary)
    doc.heading(HEADINGS[1])
    doc.paragraph(content.indicator_summary)
    if content.indicators:
        doc.table(INDICATOR_COLUMNS, indicator_rows(content))
    doc.heading(HEADINGS[2])
    doc.paragraph(content.lagging_summary)
    if content.lagging:
        doc.table(LAGGING_COLUMNS, lagging_rows(content))
    doc.heading(HEADINGS[3])
    for line in content.reporting_lines:
        doc.paragraph(line)
    doc.heading(HEADINGS[4])
    doc.paragraph(content.requirements or "（无）")
    doc.closing_lines(closing_lines(content))
    doc.page_numbers()
    if path is None:
        return doc.to_bytes()
    doc.save(path)
    return None
