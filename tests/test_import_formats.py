"""Every format a plan arrives in, read from documents generated here (no database).

python -m pytest tests/test_import_formats.py -q -p no:django
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from tasks.importer import doubts
from tasks.importer.deadlines import parse_deadline
from tasks.importer.documents import read_document
from tasks.importer.parser import PlanParseError, decode_document, parse_plan
from tasks.importer.responsibility import choose_leads
from tests.plan_documents import RULE_NOTE, TITLE, docx_paragraph_plan, docx_table_plan, xlsx_plan

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def _read(text: str, name: str = "plan.txt", encoding: str = "utf-8"):
    plan, _source = read_document(name, text.encode(encoding))
    return plan


def _task(plan, number):
    (task,) = [t for t in plan.tasks if t.number == number]
    return task


def _kinds(plan):
    return [(d.kind, d.task_number) for d in plan.doubts]


# --- tables flattened to text --------------------------------------------------------------


def test_one_cell_per_line_with_bare_numbers_and_the_inline_lead_rule():
    text = (
        f"{TITLE}\n\n{PREAMBLE_TEXT}\n\n序号\n\n任务\n\n责任单位\n\n"
        "一、扩大有效投资\n\n1\n\n推进重点项目建设，完成投资100亿元。\n\n"
        f"区发展和改革局{RULE_NOTE}、区财政局\n\n"
        "2\n\n加快城市更新。\n\n区住房和城乡建设局、区自然资源局分别牵头，区财政局\n\n"
        "二、保障和改善民生\n\n3\n\n办好民生实事。\n\n区民政局\n"
    )
    plan = _read(text)
    assert plan.title == TITLE
    assert [s.title for s in plan.sections] == ["扩大有效投资", "保障和改善民生"]
    first, second, third = plan.tasks
    assert first.text == "推进重点项目建设，完成投资100亿元。"
    assert first.lead_units == ("区发展和改革局",)  # the note is stripped, the first leads
    assert first.cooperating_units == ("区财政局",)
    assert second.lead_units == ("区住房和城乡建设局", "区自然资源局")  # 分别牵头: both lead
    assert second.cooperating_units == ("区财政局",)
    assert (third.section_number, third.lead_units) == ("二", ("区民政局",))
    assert plan.doubts == ()


PREAMBLE_TEXT = "为全面完成区政府工作报告确定的目标任务，现将重点任务分解如下："


def test_one_row_per_line_with_pipes_and_a_full_header():
    text = (
        f"{TITLE}\n"
        "| 序号 | 重点工作 | 牵头领导 | 牵头责任单位 | 协办单位 | 时间节点 |\n"
        "|---|---|---|---|---|---|\n"
        "| 一、扩大有效投资 | | | | | |\n"
        "| 1 | 推进重点项目建设。 | 张三、李四 | 区发展和改革局 | 区财政局、区统计局 | 6月底前 |\n"
        "| 2 | 加快城市更新。 | 王五 | 区住房和城乡建设局 | | 2024年12月底 |\n"
    )
    plan = _read(text)
    first, second = plan.tasks
    assert first.text == "推进重点项目建设。"  # no unit or leader glued into the text
    assert first.lead_leaders == ("张三", "李四")
    assert first.lead_units == ("区发展和改革局",)
    assert first.cooperating_units == ("区财政局", "区统计局")
    assert (first.deadline, second.deadline) == ("6月底前", "2024年12月底")
    assert second.cooperating_units == ()
    assert plan.year == 2024


def test_one_row_per_line_separated_by_spaces():
    text = (
        f"{TITLE}\n序号 工作任务 分管领导 牵头单位 配合单位 完成时限\n一、扩大有效投资\n"
        "1 推进重点项目建设，完成投资 100 亿元。 张三 区发展和改革局 区财政局 全年\n"
        "2 加快城市更新。 王五 区住房和城乡建设局 区自然资源局 9月15日前\n"
    )
    plan = _read(text)
    first, second = plan.tasks
    assert first.text == "推进重点项目建设，完成投资 100 亿元。"
    assert (first.lead_leaders, first.lead_units) == (("张三",), ("区发展和改革局",))
    assert second.cooperating_units == ("区自然资源局",)
    assert second.deadline == "9月15日前"


def test_numbered_text_with_header_like_words_is_not_taken_for_a_table():
    text = (
        f"{TITLE}\n一、稳增长\n重点任务\n1.推进项目建设。\n牵头单位：区财政局\n"
        "2.优化营商环境。\n牵头单位：区行政审批服务局\n"
    )
    plan = _read(text)
    assert [(t.number, t.lead_units) for t in plan.tasks] == [
        ("1", ("区财政局",)),
        ("2", ("区行政审批服务局",)),
    ]


def test_responsible_units_without_a_rule_are_asked_not_guessed():
    text = (
        f"{TITLE}\n序号|工作任务|责任单位\n一、稳增长\n"
        "1|推进项目建设。|区财政局、区税务局\n2|优化营商环境。|区行政审批服务局\n"
    )
    plan = _read(text)
    first, second = plan.tasks
    assert first.responsible_units == ("区财政局", "区税务局")
    assert (first.lead_units, first.cooperating_units) == ((), ())
    assert second.lead_units == ("区行政审批服务局",)  # one unit: nothing to choose
    assert _kinds(plan) == [(doubts.LEAD_OPEN, "1")]
    chosen = choose_leads(plan, {"1": ["区税务局"]})
    task = chosen.tasks[0]
    assert (task.lead_units, task.cooperating_units) == (("区税务局",), ("区财政局",))
    assert chosen.doubts == ()


def test_the_text_parser_applies_the_rule_stated_in_the_document():
    text = (
        f"{TITLE}\n一、稳增长\n1.推进项目建设。\n责任单位：区财政局{RULE_NOTE}、区税务局\n"
        "2.优化营商环境。\n责任单位：区行政审批服务局、区大数据局分别牵头，区财政局\n"
    )
    first, second = parse_plan(text).tasks
    assert (first.lead_units, first.cooperating_units) == (("区财政局",), ("区税务局",))
    assert second.lead_units == ("区行政审批服务局", "区大数据局")


# --- headings, numbering, titles, deadlines -------------------------------------------------


def test_leaders_named_in_group_headings_lead_every_task_under_them():
    text = (
        f"{TITLE}\n一、于会游市长主抓重点工作\n1.推进项目建设。〔牵头单位：区财政局〕\n"
        "2.扩大消费。〔牵头领导：张娅；牵头单位：区商务局〕\n二、其他工作\n"
        "3.办好实事。〔牵头单位：区民政局〕\n"
    )
    plan = parse_plan(text)
    assert plan.sections[0].leaders == ("于会游",)
    assert [t.lead_leaders for t in plan.tasks] == [("于会游",), ("张娅",), ()]


@pytest.mark.parametrize(
    "opener,closer", [("（", "）"), ("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】")]
)
def test_nested_numbering_with_every_bracket(opener, closer):
    text = (
        f"关于印发{TITLE}的通知\n{PREAMBLE_TEXT}\n一、稳增长\n{opener}一{closer}扩大投资\n"
        "1、推进项目建设。〔牵头单位：区财政局〕\n2．优化营商环境。〔牵头单位：区行政审批服务局〕\n"
        f"{opener}二{closer}促进消费\n3. 扩大消费。〔牵头单位：区商务局〕\n"
    )
    plan = parse_plan(text)
    assert [t.number for t in plan.tasks] == ["1", "2", "3"]
    assert all(t.section_number == "一" for t in plan.tasks)
    assert plan.title == TITLE


def test_the_title_is_not_a_preamble_sentence():
    text = f"{PREAMBLE_TEXT}\n\n{TITLE}\n\n一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n"
    assert parse_plan(text).title == TITLE


def test_deadline_key_in_text_and_the_dates_it_gives():
    plan = parse_plan(
        f"{TITLE}\n一、稳增长\n1.推进项目建设。〔牵头单位：区财政局；完成时限：6月底前〕\n"
    )
    assert plan.tasks[0].deadline == "6月底前"
    assert plan.tasks[0].lead_units == ("区财政局",)
    assert parse_deadline("6月底前", 2024) == datetime.date(2024, 6, 30)
    assert parse_deadline("2023年12月底", 2024) == datetime.date(2023, 12, 31)
    assert parse_deadline("6月底前完成主体，11月15日前竣工", 2024) == datetime.date(2024, 11, 15)
    assert parse_deadline("三季度末", 2024) == datetime.date(2024, 9, 30)
    assert parse_deadline("全年", 2024) is None
    assert parse_deadline("长期坚持", 2024) is None


# --- doubts and refusals --------------------------------------------------------------------


def test_doubts_nobody_responsible_unit_text_and_a_number_gap():
    text = (
        f"{TITLE}\n序号|工作任务|牵头单位|配合单位\n一、稳增长\n"
        "1|推进项目建设。|区财政局|\n2|优化营商环境。||\n"
        "4|扩大消费。|区商务局|加快推进消费券发放，确保全年发放到位。\n"
    )
    plan = _read(text)
    assert _kinds(plan) == [
        (doubts.NUMBER_GAP, "4"),
        (doubts.NOBODY, "2"),
        (doubts.UNIT_TEXT, "4"),
    ]
    assert plan.doubts[0].line == 6
    assert "应为 3" in str(plan.doubts[0])


def test_an_unreadable_table_gets_the_reason_and_the_line():
    text = f"{TITLE}\n序号|工作任务|牵头单位\n一、稳增长\n1|推进项目建设。|区财政局\n第二|扩大消费。|区商务局\n"
    with pytest.raises(PlanParseError) as caught:
        _read(text)
    assert (caught.value.line, caught.value.message_zh) == (5, "序号“第二”不是数字")


# --- files ----------------------------------------------------------------------------------


def test_docx_tables_with_merged_and_multi_paragraph_cells():
    plan, source = read_document("plan.docx", docx_table_plan())
    assert plan.title == TITLE and plan.year == 2024
    assert [(s.number, s.title, s.leaders) for s in plan.sections] == [
        ("一", "于会游区长主抓重点工作", ("于会游",)),
        ("二", "保障和改善民生", ()),
    ]
    one, two, three, four = plan.tasks
    assert (one.lead_leaders, one.lead_units, one.cooperating_units) == (
        ("于会游",),
        ("区发展和改革局",),
        ("区财政局",),
    )
    assert one.deadline == "6月底前"
    assert (two.lead_leaders, two.lead_units) == (("张娅",), ("区商务局",))
    assert three.text == "发展数字经济。建成5G基站200个。"  # two paragraphs, one text
    assert three.lead_units == ("区商务局",)  # the unit cell merged over tasks 2 and 3
    assert four.lead_units == ("区数据资源局", "区财政局")
    assert four.cooperating_units == ("区审计局",)
    assert four.deadline == "长期坚持"
    assert plan.doubts == ()
    lines = source.split("\n")
    assert lines[one.line - 1].startswith("1 | 推进项目建设。")


def test_docx_written_as_numbered_paragraphs_reads_as_text():
    plan, _source = read_document("plan.docx", docx_paragraph_plan())
    first, second = plan.tasks
    assert (first.lead_leaders, first.lead_units, first.cooperating_units) == (
        ("张三",),
        ("区财政局",),
        ("区税务局",),
    )
    assert second.lead_units == ("区行政审批服务局",)


def test_xlsx_first_sheet_with_a_header_row_and_merged_cells():
    plan, source = read_document("plan.xlsx", xlsx_plan())
    assert plan.title == TITLE
    assert [s.title for s in plan.sections] == ["扩大有效投资", "保障和改善民生"]
    one, two, three = plan.tasks
    assert [t.number for t in plan.tasks] == ["1", "2", "3"]  # 2.0 in the sheet reads as "2"
    assert one.lead_leaders == ("张三", "李四")
    assert two.lead_units == ("区发展和改革局",)  # merged over rows 4–5
    assert two.deadline == "2024年9月30日"
    assert three.cooperating_units == ("各镇政府（街道办事处）",)
    assert source.split("\n")[0] == TITLE


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_txt_in_every_encoding(encoding):
    text = f"{TITLE}\n序号|工作任务|牵头单位\n一、稳增长\n1|推进项目建设。|区财政局\n"
    plan = _read(text, encoding=encoding)
    assert plan.tasks[0].lead_units == ("区财政局",)


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("plan.docx", b"not a zip at all", "不是有效的 Word（.docx）文件"),
        ("plan.xlsx", b"PK\x03\x04garbage", "不是有效的 Excel（.xlsx）文件"),
        ("plan.pdf", b"%PDF-1.4", "暂不支持 PDF"),
        ("plan.exe", b"MZ", "只支持 .docx、.xlsx 和 .txt 文件"),
        ("plan.txt", b"\x00\x01\x02binary", "不是文本文件"),
        ("plan.docx", b"", "文件内容为空"),
    ],
)
def test_hostile_files_are_refused_with_a_chinese_reason(name, data, message):
    with pytest.raises(PlanParseError) as caught:
        read_document(name, data)
    assert message in caught.value.message_zh


def test_a_docx_that_is_a_zip_without_a_document_or_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    with pytest.raises(PlanParseError) as caught:
        read_document("bomb.docx", buffer.getvalue())
    assert "解压后过大" in caught.value.message_zh
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    with pytest.raises(PlanParseError) as caught:
        read_document("empty.docx", buffer.getvalue())
    assert "缺少 word/document.xml" in caught.value.message_zh


def test_an_xlsx_without_a_header_row_is_refused():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["随便", "什么"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(PlanParseError) as caught:
        read_document("plan.xlsx", buffer.getvalue())
    assert "未找到表头" in caught.value.message_zh


@pytest.mark.parametrize("name", ["2022-work-report.txt", "2023-green-development.txt"])
def test_the_seed_documents_read_the_same_through_the_file_entry_point(name):
    data = (DOCUMENTS / name).read_bytes()
    plan, source = read_document(name, data)
    assert plan == parse_plan(decode_document(data))
    assert source == decode_document(data)
