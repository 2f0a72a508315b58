"""The plan-document parser: pure functions, no database.

Runs with and without pytest-django:
    python -m pytest tests/test_parser.py -q -p no:django
"""

import datetime
import pickle
from pathlib import Path

import pytest

from tasks.importer.parser import (
    ParsedPlan,
    PlanParseError,
    decode_document,
    normalize_name,
    parse_plan,
    split_units,
)

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
GROUPS_2022 = ("区政府各部门（单位）", "各镇政府(街道办事处)", "园区管委会")


def _read(name: str) -> str:
    return decode_document((DOCUMENTS / name).read_bytes())


@pytest.fixture(scope="module")
def plan_2022() -> ParsedPlan:
    return parse_plan(_read("2022-work-report.txt"))


@pytest.fixture(scope="module")
def plan_2023() -> ParsedPlan:
    return parse_plan(_read("2023-green-development.txt"))


def _task(plan: ParsedPlan, number: str):
    (task,) = [task for task in plan.tasks if task.number == number]
    return task


def _error(text: str) -> PlanParseError:
    with pytest.raises(PlanParseError) as caught:
        parse_plan(text)
    return caught.value


# --------------------------------------------------------------------------------------------
# 2022 plan (PDF text)
# --------------------------------------------------------------------------------------------


def test_2022_header(plan_2022):
    assert plan_2022.title == "2022年区政府工作报告重点工作任务部门分工方案"
    assert plan_2022.year == 2022
    assert plan_2022.issued_on == datetime.date(2022, 3, 23)
    assert plan_2022.doc_number == ""
    assert plan_2022.warnings == ()


def test_2022_sections(plan_2022):
    assert [section.number for section in plan_2022.sections] == list("一二三四五六七八")
    first, last = plan_2022.sections[0], plan_2022.sections[-1]
    assert (first.title, first.line) == ("主要预期目标", 31)
    assert last.title == "守牢安全发展底线，建设平安幸福东昌府"


def test_2022_numbers_in_document_order(plan_2022):
    numbers = [task.number for task in plan_2022.tasks]
    assert len(numbers) == 146
    expected = [str(n) for n in range(1, 145)]
    expected[6:6] = ["6(1)", "6(2)"]
    assert numbers == expected
    assert [task.section_number for task in plan_2022.tasks[:9]] == ["一"] * 8 + ["二"]
    assert _task(plan_2022, "144").section_number == "八"


def test_2022_every_leaf_task_names_leaders_and_lead_units(plan_2022):
    missing = [t.number for t in plan_2022.tasks if not (t.lead_leaders and t.lead_units)]
    assert missing == ["6"]
    assert all(task.title == "" for task in plan_2022.tasks)


def test_2022_task_1(plan_2022):
    task = _task(plan_2022, "1")
    assert task.line == 32
    assert task.parent_number is None
    assert task.text == "地区生产总值增长 6.5%以上。"
    assert task.lead_leaders == ("张娅",)
    assert task.lead_units == ("区发展和改革局",)
    # Names as written (whitespace removed); callers compare with normalize_name.
    assert task.cooperating_units == GROUPS_2022


def test_2022_task_6_and_its_sub_items(plan_2022):
    parent, first, second = (_task(plan_2022, n) for n in ("6", "6(1)", "6(2)"))
    assert parent.text == "坚决完成上级下达各类约束性指标。"
    assert (parent.lead_leaders, parent.lead_units, parent.cooperating_units) == ((), (), ())
    assert (first.parent_number, second.parent_number) == ("6", "6")
    assert first.section_number == "一"
    assert first.text == "节能减排降碳。"
    assert (first.lead_leaders, first.lead_units) == (("张娅",), ("区发展和改革局",))
    assert second.text == "环境质量改善目标。"
    assert (second.lead_leaders, second.lead_units) == (("赵亚秋",), ("区生态环境分局",))
    assert second.cooperating_units == GROUPS_2022


def test_2022_task_15(plan_2022):
    task = _task(plan_2022, "15")
    assert task.lead_leaders == ("胡瑞恒", "刘兆华", "张娅")
    assert task.lead_units == ("区住房和城乡建设局", "区交通运输局", "区发展和改革局")
    assert task.cooperating_units == ("区政府各部门（单位）", "街道办事处")


def test_2022_task_17_expands_deng(plan_2022):
    task = _task(plan_2022, "17")
    assert task.lead_leaders == ("张妍", "刘兆华")
    assert task.lead_units == ("嘉明经济开发区管委会",)
    assert task.cooperating_units == (
        "区自然资源和规划分局",
        "区综合行政执法局",
        "区住房和城乡建设局",
        "区政府各部门（单位）",
        "柳园街道办事处",
        "闫寺街道办事处",
    )


def test_2022_task_53_written_with_dunhao(plan_2022):
    task = _task(plan_2022, "53")
    assert task.text.startswith("坚持把双招双引作为经济工作的生命线")
    assert task.lead_leaders == ("张妍",)
    assert task.lead_units == ("区经济合作发展中心",)


def test_2022_task_125(plan_2022):
    task = _task(plan_2022, "125")
    assert task.lead_leaders == ("高宪栋", "梅永杰", "胡瑞恒", "赵亚秋")
    assert task.lead_units == (
        "区总工会",
        "团区委",
        "区妇女联合会",
        "区残疾人联合会",
        "区对外友好协会",
        "区委统战部",
        "区气象局",
        "区关工委",
        "区外事办",
    )
    assert task.cooperating_units == ("各镇政府(街道办事处)", "园区管委会")


def test_2022_task_126_keeps_the_typo(plan_2022):
    task = _task(plan_2022, "126")
    assert task.text == "抓好民生实事工作。"
    assert task.cooperating_units[0] == "区教体和体育局"
    assert task.cooperating_units[-1] == "各镇政府(街道办事处)"
    assert len(task.cooperating_units) == 9


def test_2022_task_127(plan_2022):
    task = _task(plan_2022, "127")
    assert task.lead_leaders == ("梅永杰", "张妍", "李恒庆", "赵亚秋", "刘兆华", "张娅")
    assert task.lead_units == (
        "区卫生健康局",
        "区市场监督管理局",
        "区公安分局",
        "区教育和体育局",
        "区商务和投资促进局",
        "区发展和改革局",
    )
    assert task.cooperating_units == ("区疫情防控指挥部各成员单位",) + GROUPS_2022[1:]
    assert "筑牢安全发展底盘。 密切关注疫情防控形势" in task.text  # spaces inside a line kept
    assert task.text.endswith("坚决防止疫情反弹。")


def test_2022_pdf_line_breaks_are_joined(plan_2022):
    # "…高新技术企业\n\n10 家，…": a line starting with a number is text, not task 10.
    text = _task(plan_2022, "10").text
    assert text == "实施科技型中小企业梯次培育工程，新增高新技术企业10 家，培育中小企业 30 家。"
    assert "月星环球广场等 86个重点项目建设" in _task(plan_2022, "7").text
    assert _task(plan_2022, "10").lead_units == ("区科学技术局",)  # "区\n 科学技术局"
    assert "〔" not in "".join(task.text for task in plan_2022.tasks)


# --------------------------------------------------------------------------------------------
# 2023 plan (markdown-ish, headed items)
# --------------------------------------------------------------------------------------------


def test_2023_header(plan_2023):
    assert plan_2023.title == "东昌府区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务"
    assert plan_2023.year == 2023
    assert plan_2023.doc_number == "东昌政办字〔2023〕11号"
    assert plan_2023.issued_on == datetime.date(2023, 5, 11)


def test_2023_sections_and_items(plan_2023):
    assert len(plan_2023.sections) == 11
    assert [s.number for s in plan_2023.sections][-2:] == ["十", "十一"]
    assert plan_2023.sections[0].title == "深入实施创新驱动发展战略"
    assert plan_2023.sections[3].title == "协同推进降碳减污扩绿增长"  # "#### 四、"
    assert [task.number for task in plan_2023.tasks] == [str(n) for n in range(1, 91)]
    assert all(task.lead_leaders == () for task in plan_2023.tasks)


def test_2023_units_and_warnings(plan_2023):
    with_lead = [task.number for task in plan_2023.tasks if task.lead_units]
    assert len(with_lead) == 87
    assert [t.number for t in plan_2023.tasks if not t.lead_units] == ["88", "89", "90"]
    assert len(plan_2023.warnings) == 3
    assert all(n in w for n, w in zip(("88", "89", "90"), plan_2023.warnings, strict=True))


def test_2023_item_1_and_3(plan_2023):
    first = _task(plan_2023, "1")
    assert first.title == "完善实验室体系"
    assert first.text.startswith("完善实验室体系。加快融入聊城市实验室体系建设战略部署")
    assert first.text.endswith("谋划建设高水平重点实验室。")
    assert first.lead_units == ("区科学技术局",)
    third = _task(plan_2023, "3")
    assert third.lead_units == ("区科学技术局",)
    assert third.cooperating_units == ("区商务和投资促进局", "区人力资源和社会保障局")


def test_2023_format_quirks(plan_2023):
    # Paragraph break inside an item's text.
    assert "推动产业链创新链深度融合。" in _task(plan_2023, "4").text
    # "（牵头单位：…区生态环境\n\n分局)": mixed-width bracket, key value broken across lines.
    assert _task(plan_2023, "19").lead_units[-1] == "区生态环境分局"
    # "71.促进更充分就业" without a space after the dot.
    assert _task(plan_2023, "71").title == "促进更充分就业"
    # "；参与单位" as the separator.
    assert _task(plan_2023, "49").cooperating_units == ("区发展和改革委员会", "区住房和城乡建设局")
    # A line starting "2023年…" inside item 46 is text.
    assert "东昌府区完善细化2023年畜禽粪污" in _task(plan_2023, "46").text
    assert _task(plan_2023, "88").title == "加强组织领导"


# --------------------------------------------------------------------------------------------
# Other districts' formats
# --------------------------------------------------------------------------------------------

_HEADER = "XX区2024年重点工作任务分工方案\n\n"


def test_variant_zeren_keys_and_shell_brackets():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1.推进项目建设。〔责任领导：张三、李四；牵头单位：区财政局；"
        "责任单位：区税务局、区审计局〕\n"
    )
    task = plan.tasks[0]
    assert task.text == "推进项目建设。"
    assert task.lead_leaders == ("张三", "李四")
    assert task.lead_units == ("区财政局",)
    assert task.cooperating_units == ("区税务局", "区审计局")


def test_variant_half_width_parentheses_and_colons():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1. 推进项目建设。(牵头领导: 张三; 牵头单位: 区财政局; "
        "配合单位: 区政府各部门(单位), 各镇政府(街道办事处))\n"
        "2. 优化环境。(牵头单位: 区行政审批服务局)\n"
    )
    first, second = plan.tasks
    assert first.lead_leaders == ("张三",)
    assert first.lead_units == ("区财政局",)
    assert first.cooperating_units == ("区政府各部门(单位)", "各镇政府(街道办事处)")
    assert second.text == "优化环境。"
    assert second.lead_units == ("区行政审批服务局",)


def test_variant_square_brackets():
    plan = parse_plan(
        _HEADER + "一、稳增长\n"
        "1、推进项目建设。[牵头领导：张三；牵头单位：区财政局；配合单位：区税务局]\n"
        "2、优化环境。【牵头单位：区行政审批服务局】\n"
    )
    assert plan.tasks[0].lead_units == ("区财政局",)
    assert plan.tasks[0].cooperating_units == ("区税务局",)
    assert plan.tasks[1].lead_units == ("区行政审批服务局",)
    assert plan.tasks[1].text == "优化环境。"


def test_variant_responsibilities_on_their_own_lines():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1.推进项目建设，确保完成年度\n投资 100 亿元。\n牵头领导：张三\n"
        "牵头单位：区财政局\n配合单位：区税务局、区审计局\n\n"
        "2.优化营商环境\n牵头领导：李四\n牵头单位：区行政审批服务局\n"
        "二、惠民生\n3.办好民生实事。\n责任领导：王五\n责任单位：各镇政府(街道办事处)\n"
    )
    assert [task.number for task in plan.tasks] == ["1", "2", "3"]
    first, second, third = plan.tasks
    assert first.text == "推进项目建设，确保完成年度投资 100 亿元。"
    assert first.lead_leaders == ("张三",)
    assert first.lead_units == ("区财政局",)
    assert first.cooperating_units == ("区税务局", "区审计局")
    assert second.text == "优化营商环境"
    assert second.lead_units == ("区行政审批服务局",)
    assert third.section_number == "二"
    assert third.lead_leaders == ("王五",)
    # A single 责任单位 is the one responsible: it leads (several would ask the office).
    assert third.lead_units == ("各镇政府(街道办事处)",)
    assert third.cooperating_units == ()
    assert plan.title == "XX区2024年重点工作任务分工方案"
    assert plan.year == 2024


def test_variant_inline_keys_without_brackets():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1.推进项目建设。牵头单位：区财政局；配合单位：区税务局"
    )
    assert plan.tasks[0].text == "推进项目建设。"
    assert plan.tasks[0].cooperating_units == ("区税务局",)


def test_variant_keys_broken_by_pdf_line_breaks():
    plan = parse_plan(
        _HEADER + "一、稳增长\n 1.推进项目建设。〔牵\n\n头领导：张\n三；牵头\n\n单位：区财\n 政局〕"
    )
    task = plan.tasks[0]
    assert (task.lead_leaders, task.lead_units) == (("张三",), ("区财政局",))


def test_variant_half_width_sub_items_and_subsection_headings():
    plan = parse_plan(
        _HEADER + "一、稳增长\n（一）抓项目\n1.完成约束性指标：\n"
        "(1)节能。〔牵头单位：区发展和改革局〕\n"
        "(2)减排。〔牵头单位：区生态环境分局〕\n（二）抓消费\n2.促消费。〔牵头单位：区商务局〕\n"
    )
    assert [t.number for t in plan.tasks] == ["1", "1(1)", "1(2)", "2"]
    assert plan.tasks[0].text == "完成约束性指标："
    assert plan.tasks[2].parent_number == "1"
    assert plan.tasks[3].text == "促消费。"
    assert plan.warnings == ()


def test_variant_without_sections():
    plan = parse_plan("2024年重点任务清单\n1.推进项目建设。\n2.优化营商环境。\n")
    assert plan.sections == ()
    assert [(t.number, t.section_number) for t in plan.tasks] == [("1", ""), ("2", "")]
    assert plan.warnings == ()  # no task names anyone: nothing to point out


def test_task_without_responsibilities_is_a_warning():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n2.加强组织领导。\n"
    )
    assert plan.warnings == ("第 5 行：任务 2 未写明牵头领导或责任单位",)


def test_doc_number_ignores_cited_documents():
    plan = parse_plan(
        "关于印发《2024年重点工作任务》的通知\n根据《某某意见》（鲁政发〔2023〕5号），制定本方案。\n"
        "2024年2月30日\n2024 年 3 月 1 日\n一、稳增长\n1.推进项目建设。\n"
    )
    assert plan.title == "2024年重点工作任务"
    assert plan.doc_number == ""
    assert plan.issued_on == datetime.date(2024, 3, 1)  # the impossible date is skipped


def test_sections_and_numbers_in_task_text_are_not_headings():
    plan = parse_plan(
        _HEADER + "一、稳增长\n1.完成年度投资\n2.5 亿元，新增\n10 家企业。〔牵头单位：区财政局〕\n"
        "2.推进一、二级\n二、三级道路建设。〔牵头单位：区交通运输局〕\n"
    )
    assert [t.number for t in plan.tasks] == ["1", "2"]
    assert plan.tasks[0].text == "完成年度投资2.5 亿元，新增10 家企业。"
    assert plan.tasks[1].text == "推进一、二级二、三级道路建设。"
    assert len(plan.sections) == 1


# --------------------------------------------------------------------------------------------
# Refused documents
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\u3000\n"])
def test_empty_document(text):
    error = _error(text)
    assert error.message_zh == "文件内容为空"
    assert error.message_en


def test_no_numbered_tasks():
    error = _error("关于做好春节期间工作的通知\n各单位：\n请做好值班工作。\n")
    assert str(error) == "不是分工方案：未找到编号任务"
    assert error.message_en == "Not a plan: no numbered tasks found."


def test_number_gap():
    error = _error(
        "一、稳增长\n1.甲。〔牵头单位：区财政局〕\n2.乙。〔牵头单位：区财政局〕\n"
        "4.丙。〔牵头单位：区财政局〕\n"
    )
    assert error.line == 4
    assert str(error) == "第 4 行：任务编号不连续：任务 2 之后应为 3，实际为 4"
    assert "expected 3" in error.message_en


def test_number_repeat():
    error = _error("一、稳增长\n1.甲。〔牵头单位：区财政局〕\n2.乙。\n2.丙。\n")
    assert error.line == 4
    assert error.message_zh.startswith("任务编号重复：2")


def test_first_task_is_not_1():
    error = _error("一、稳增长\n3.甲。〔牵头单位：区财政局〕\n")
    assert (error.line, error.message_zh) == (2, "任务编号应从 1 开始，实际为 3")


def test_unclosed_bracket_before_next_task():
    lines = ["一、稳增长"] + [f"{n}.任务{n}。〔牵头单位：区财政局〕" for n in range(1, 12)]
    lines += ["12.任务十二。", "〔牵头领导：张三；牵头单位：区财政局；"]
    lines += ["13.任务十三。〔牵头单位：区财政局〕"]
    error = _error("\n".join(lines))
    assert str(error) == "第 14 行：任务 12 的责任单位括号未闭合"
    assert error.message_en == "The responsibility bracket of task 12 is never closed."


def test_unclosed_bracket_before_section_and_at_end():
    error = _error("一、稳增长\n1.甲。〔牵头单位：区财政局\n二、惠民生\n2.乙。\n")
    assert (error.line, error.message_zh) == (2, "任务 1 的责任单位括号未闭合")
    error = _error("一、稳增长\n1.甲。\n（牵头单位：区财政局，参与单位：区税务局\n")
    assert error.line == 3


def test_task_before_first_section():
    error = _error("1.甲。〔牵头单位：区财政局〕\n一、稳增长\n2.乙。〔牵头单位：区财政局〕\n")
    assert error.line == 1
    assert "第一个章节" in error.message_zh


def test_report_of_2024_is_parsed_or_refused_cleanly():
    # Shape of seed 004 (2024 planning report): sections 一…三, "(一)…" paragraphs, items 1–17
    # with inline sub-items. Not a plan format we must support, but it must not crash.
    text = (
        "关于东昌府区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告\n"
        "字号:\n大 中 小\n\n"
        "——2024年1月17日在东昌府区第十八届\n人民代表大会第三次会议上\n各位代表:\n"
        "一、2023年国民经济和社会发展计划执行情况\n过去的一年,全区上下笃行实干。\n"
        "(一)抓经济、稳运行,综合实力稳步提升。预计全区生产总值实现565亿元,同比增长6%。\n"
        "二、2024年国民经济和社会发展的总体要求和主要目标\n2024年是新中国成立75周年。\n"
        "三、2024年国民经济和社会发展计划的主要任务\n"
        "(一)着力加快产业升级,打造高质量发展引擎。坚持以科技创新推动主导产业创新。\n"
        "1. 提升科技创新引领力。(1)加强科技创新载体建设。(2)实施科技型中小企业梯次培育工程。\n"
        "2. 深入推进制造业强区战略。(1)围绕新能源等产业。\n"
        "(二)着力扩大有效需求,增强高质量发展动能。把扩大内需作为重要抓手。\n"
        "3. 持续扩大有效投资。(1)坚持“项目为王”。\n"
        "各位代表,做好2024年经济工作任务艰巨。\n扫码使用手机浏览本页内容\n"
    )
    plan = parse_plan(text)
    assert [task.number for task in plan.tasks] == ["1", "2", "3"]
    assert {task.section_number for task in plan.tasks} == {"三"}
    assert plan.tasks[0].title == "提升科技创新引领力"
    assert plan.issued_on == datetime.date(2024, 1, 17)


@pytest.mark.parametrize("path", sorted(DOCUMENTS.glob("*.txt")), ids=lambda path: path.name)
def test_every_fixture_document_parses_or_is_refused(path):
    try:
        plan = parse_plan(decode_document(path.read_bytes()))
    except PlanParseError as error:
        assert error.message_zh
    else:
        assert plan.tasks


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("区政府各部门（单位）、各镇政府(街道)", ("区政府各部门（单位）", "各镇政府(街道)")),
        (
            "区住房和城乡建设局等区政府各部门（单位）",
            ("区住房和城乡建设局", "区政府各部门（单位）"),
        ),
        ("柳园、闫寺等街道办事处", ("柳园街道办事处", "闫寺街道办事处")),
        ("道口铺、古楼等镇政府", ("道口铺镇政府", "古楼镇政府")),
        ("区财政局等有关部门", ("区财政局",)),
        ("区财政局等部门（单位）", ("区财政局",)),
        ("区疫情防控指挥部各成员单位，各镇政府", ("区疫情防控指挥部各成员单位", "各镇政府")),
        ("聊城市东昌府区中等职业教育学校", ("聊城市东昌府区中等职业教育学校",)),
        (" 区财\n政局；区财政局;区税务局。 ", ("区财政局", "区税务局")),
        ("区税务局，，、", ("区税务局",)),
        ("", ()),
    ],
)
def test_split_units(value, expected):
    assert split_units(value) == expected


def test_normalize_name():
    assert normalize_name(" 各镇政府(街道\n办事处) ") == "各镇政府（街道办事处）"
    assert normalize_name("区政府各部门（单位）") == "区政府各部门（单位）"


# --------------------------------------------------------------------------------------------
# Decoding and errors
# --------------------------------------------------------------------------------------------

_SAMPLE = "一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_decode_document(encoding):
    text = decode_document(_SAMPLE.encode(encoding))
    assert text == _SAMPLE
    assert parse_plan(text).tasks[0].lead_units == ("区财政局",)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 9)) * 50 + "正文".encode()]
)
def test_decode_refuses_binary(data):
    with pytest.raises(PlanParseError) as caught:
        decode_document(data)
    assert caught.value.message_zh.startswith("不是文本文件")


def test_decode_names_the_line_of_an_undecodable_byte():
    data = "第一行\n第二行\n".encode("gb18030") + b"\xff\xff" + "第三行".encode("gb18030")
    with pytest.raises(PlanParseError) as caught:
        decode_document(data)
    assert caught.value.line == 3
    assert "UTF-8" in caught.value.message_zh and "GB18030" in caught.value.message_zh


def test_decode_reports_a_damaged_utf8_file_instead_of_guessing_gb18030():
    data = "第一行\n第二行\n".encode() + b"\xe4\xb8" + "\n第四行".encode()
    with pytest.raises(PlanParseError) as caught:
        decode_document(data)
    assert caught.value.line == 3


def test_plan_parse_error():
    error = PlanParseError("任务 12 的责任单位括号未闭合", line=7, message_en="unclosed")
    assert isinstance(error, ValueError)
    assert str(error) == "第 7 行：任务 12 的责任单位括号未闭合"
    assert (error.line, error.message_en) == (7, "unclosed")
    assert str(PlanParseError("文件内容为空")) == "文件内容为空"
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.line, copy.message_en) == (str(error), 7, "unclosed")


def test_results_are_frozen(plan_2022):
    with pytest.raises(AttributeError):
        plan_2022.tasks[0].text = "changed"


def test_the_parser_and_its_pieces_import_no_django():
    import subprocess
    import sys

    code = (
        "import sys, tasks.importer.parser, tasks.importer.tables, tasks.importer.flattened; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
