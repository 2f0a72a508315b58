"""Plan documents generated for the tests, in every format the importer reads.

Built with the same libraries the readers use (python-docx, openpyxl), so each test opens a
real file and reads it back.
"""

import io

import docx
import openpyxl
from docx.enum.text import WD_BREAK

TITLE = "咸安区2024年政府工作报告重点任务分工方案"
PREAMBLE = "为全面完成区政府工作报告确定的目标任务，现将重点任务分解如下："
RULE_NOTE = "（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）"


def docx_table_plan(unknown=("区商务局", "区数据资源局")) -> bytes:
    """A Word plan as tables: a merged heading row, a unit merged over two rows, a cell with two
    paragraphs, a heading paragraph between two tables, and the lead rule stated inline."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(PREAMBLE)
    table = document.add_table(rows=5, cols=5)
    for index, name in enumerate(("序号", "工作任务", "责任领导", "责任单位", "完成时限")):
        table.cell(0, index).text = name
    heading = table.cell(1, 0).merge(table.cell(1, 4))
    heading.text = "一、于会游区长主抓重点工作"
    rows = [
        (
            "1",
            "推进项目建设。完成年度投资100亿元。",
            "",
            f"区发展和改革局{RULE_NOTE}、区财政局",
            "6月底前",
        ),
        ("2", "扩大消费。", "张娅", unknown[0], "全年"),
        ("3", "发展数字经济。", "", "", "2024年12月底"),
    ]
    for offset, values in enumerate(rows, start=2):
        for index, value in enumerate(values):
            if value:
                table.cell(offset, index).text = value
    merged = table.cell(3, 3).merge(table.cell(4, 3))
    merged.text = unknown[0]
    cell = table.cell(4, 1)
    cell.text = "发展数字经济。"
    cell.add_paragraph("建成5G基站200个。")
    document.add_paragraph("二、保障和改善民生")
    second = document.add_table(rows=2, cols=5)
    for index, name in enumerate(("序号", "工作任务", "责任领导", "责任单位", "完成时限")):
        second.cell(0, index).text = name
    for index, value in enumerate(
        ("4", "建设智慧政务平台。", "李四", f"{unknown[1]}、区财政局分别牵头，区审计局", "长期坚持")
    ):
        second.cell(1, index).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_paragraph_plan() -> bytes:
    """A Word plan written as numbered paragraphs, one of them broken by a line break."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("一、稳增长")
    paragraph = document.add_paragraph("1.推进项目建设。")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("〔牵头领导：张三；牵头单位：区财政局；配合单位：区税务局〕")
    document.add_paragraph("2.优化营商环境。〔牵头单位：区行政审批服务局〕")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_plan() -> bytes:
    """An Excel plan: title row, header row, a merged heading row, a unit merged over two rows,
    numbers stored as numbers and a deadline stored as a date."""
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "重点工作", "牵头领导", "牵头单位", "配合单位", "时间节点"])
    sheet.append(["一、扩大有效投资"])
    sheet.merge_cells("A3:F3")
    sheet.append([1, "推进重点项目建设。", "张三、李四", "区发展和改革局", "区财政局", "6月底前"])
    sheet.append(
        [2.0, "加快城市更新。", "王五", "区住房和城乡建设局", None, datetime.date(2024, 9, 30)]
    )
    sheet.merge_cells("D4:D5")
    sheet.append(["二、保障和改善民生"])
    sheet.append([3, "办好民生实事。", "王五", "区民政局", "各镇政府（街道办事处）", "全年"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
