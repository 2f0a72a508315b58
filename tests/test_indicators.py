"""Quantitative targets (指标) read from task texts: pure functions, no database.

Runs with and without pytest-django:
    python -m pytest tests/test_indicators.py -q -p no:django
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from tasks.importer.parser import ParsedPlan, decode_document, parse_plan
from tasks.indicators import (
    COMPARATORS,
    KINDS,
    ParsedIndicator,
    completion_percent,
    extract_indicators,
)

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


@cache
def _plan(name: str) -> ParsedPlan:
    return parse_plan(decode_document((DOCUMENTS / name).read_bytes()))


def _text(year: int, number: str) -> str:
    name = "2022-work-report.txt" if year == 2022 else "2023-green-development.txt"
    (task,) = [task for task in _plan(name).tasks if task.number == number]
    return task.text


def _summary(indicators: list[ParsedIndicator]) -> list[tuple[str, str, str, str, str]]:
    """(name, comparator, target, unit, kind) per indicator; targets as strings to be exact."""
    return [(i.name, i.comparator, str(i.target), i.unit, i.kind) for i in indicators]


def _check_positions(text: str, indicators: list[ParsedIndicator]) -> None:
    for indicator in indicators:
        assert text[indicator.position : indicator.position + len(indicator.phrase)] == (
            indicator.phrase
        )


# --------------------------------------------------------------------------------------------
# 2022 plan: the acceptance set, each task's full list of targets
# --------------------------------------------------------------------------------------------

EXPECTED_2022 = {
    "1": [("地区生产总值", ">=", "6.5", "%", "growth")],
    "2": [("一般公共预算收入", "about", "6", "%", "growth")],
    "3": [("固定资产投资", "about", "12", "%", "growth")],
    "4": [("社会消费品零售总额", ">=", "7", "%", "growth")],
    "5": [("居民人均可支配收入", ">=", "9", "%", "growth")],
    "7": [
        ("重点项目", ">=", "86", "个", "absolute"),
        ("年度投资", ">=", "195", "亿元", "absolute"),
    ],
    "10": [
        ("新增高新技术企业", ">=", "10", "家", "absolute"),
        ("培育中小企业", ">=", "30", "家", "absolute"),
    ],
    "28": [("新增“小升规”企业", ">=", "15", "家", "absolute")],
    "54": [
        ("新引进亿元以上项目", ">=", "20", "个", "absolute"),
        ("10亿元以上项目", ">=", "4", "个", "absolute"),
        ("到位资金", ">=", "45", "亿元", "absolute"),
    ],
    "62": [
        ("投资", ">=", "6750", "万元", "absolute"),
        ("建设高标准农田", ">=", "4.5", "万亩", "absolute"),
    ],
    "79": [
        ("棚户区改造", ">=", "4", "个", "absolute"),
        ("拆迁", ">=", "50", "万平方米", "absolute"),
    ],
    "80": [
        ("安置区", ">=", "49", "个", "absolute"),
        ("交付安置房", ">=", "3000", "套", "absolute"),
    ],
    "83": [
        ("新增停车位", ">=", "2000", "个", "absolute"),
        ("建设公厕", ">=", "17", "座", "absolute"),
        ("背街小巷", ">=", "15", "条", "absolute"),
        ("小区雨污分流改造", ">=", "443", "个", "absolute"),
        ("最美街巷", ">=", "10", "条", "absolute"),
    ],
    "99": [
        ("投资", ">=", "6.3", "亿元", "absolute"),
        ("学校项目", ">=", "4", "个", "absolute"),
        ("新增学位", ">=", "6550", "个", "absolute"),
    ],
    "100": [
        ("新招录教师", ">=", "500", "名", "absolute"),
        ("高标准培训", ">=", "3", "万人次", "absolute"),
        ("新建教师周转房", ">=", "100", "套", "absolute"),
    ],
    "111": [
        ("新增城镇就业", ">=", "4500", "人", "absolute"),
        ("农村劳动力转移培训", ">=", "2000", "人", "absolute"),
        ("城镇登记失业率", "<=", "4.5", "%", "rate"),
    ],
    "118": [
        ("放映公益电影", ">=", "8340", "场", "absolute"),
        ("送戏", ">=", "700", "场", "absolute"),
        ("文化下乡演出", ">=", "100", "场", "absolute"),
    ],
}


@pytest.mark.parametrize("number", list(EXPECTED_2022))
def test_2022_acceptance(number):
    text = _text(2022, number)
    indicators = extract_indicators(text)
    assert _summary(indicators) == EXPECTED_2022[number]
    _check_positions(text, indicators)


def test_2022_phrases_are_the_source_fragments():
    (growth,) = extract_indicators(_text(2022, "1"))
    assert growth.phrase == "地区生产总值增长 6.5%以上"
    assert growth.position == 0
    assert growth.target == Decimal("6.5")

    projects, investment = extract_indicators(_text(2022, "7"))
    assert projects.phrase == "86个重点项目建设"
    assert investment.phrase == "完成年度投资 195 亿元"
    assert projects.position < investment.position

    unemployment = extract_indicators(_text(2022, "111"))[-1]
    assert unemployment.phrase == "城镇登记失业率控制在 4.5%以内"

    # "亿元以上" and "10 亿元以上" qualify the projects; they are not targets themselves.
    phrases = [i.phrase for i in extract_indicators(_text(2022, "54"))]
    assert phrases == [
        "全年新引进亿元以上项目 20 个",
        "10 亿元以上项目 4 个",
        "到位资金 45 亿元以上",
    ]


# Tasks whose numbers are not targets: 6 has none, 27 a range ("2—3 家") and a duration
# ("连续 3 年"), 32 a technology name ("5G"), 49 a quoted name ("“15 分钟政务服务圈”"),
# 121 an ordinal ("第十二届"), 137 a hotline number ("12345 市民热线").
@pytest.mark.parametrize("number", ["6", "9", "27", "32", "49", "121", "137"])
def test_2022_texts_without_targets(number):
    assert extract_indicators(_text(2022, number)) == []


def test_2022_tasks_with_targets():
    tasks = _plan("2022-work-report.txt").tasks
    numbers = [task.number for task in tasks if extract_indicators(task.text)]
    assert numbers == [
        *("1", "2", "3", "4", "5", "7", "8", "10", "24", "28", "38", "54", "62", "64", "67"),
        *("68", "71", "72", "73", "79", "80", "81", "82", "83", "86", "99", "100", "106"),
        *("108", "111", "114", "118", "119"),
    ]


def test_2022_descriptions_are_not_targets():
    # "齐鲁漆业年产 20 万吨金属防腐涂料" names a project; "5 家骨干企业", "10 个…项目" are targets.
    assert _summary(extract_indicators(_text(2022, "24"))) == [
        ("骨干企业", ">=", "5", "家", "absolute"),
        ("智能化技改项目", ">=", "10", "个", "absolute"),
    ]
    # A growth rate written as "再提高 10%".
    assert _summary(extract_indicators(_text(2022, "114"))) == [
        ("各类困难群体救助保障标准", ">=", "10", "%", "growth"),
    ]


# --------------------------------------------------------------------------------------------
# 2023 plan
# --------------------------------------------------------------------------------------------

EXPECTED_2023 = {
    "2": [("新增市级以上创新平台", ">=", "6", "家", "absolute")],
    "5": [
        ("新增高新技术企业", ">=", "15", "家", "absolute"),
        ("科技型中小企业入库", ">=", "100", "家", "absolute"),
    ],
    # "每年动态储备 20 家左右后备潜力企业": the name follows the number.
    "7": [("后备潜力企业", "about", "20", "家", "absolute")],
    # "投资500万元以上" qualifies the projects.
    "11": [("投资500万元以上技术改造项目", "about", "20", "个", "absolute")],
    # "《关于公布 2023 年…》" is a title; "总投资 10 亿元、20 亿元、50 亿元、100 亿元以上的大项目"
    # describes projects.
    "19": [
        ("谋划推进省市区重点建设项目", "about", "160", "个", "absolute"),
        ("开工建设", "about", "100", "个", "absolute"),
        ("竣工投产", "about", "20", "个", "absolute"),
    ],
    "20": [("新能源装机容量", ">=", "45", "万千瓦", "absolute")],
    "33": [("全区生活垃圾焚烧处理率", ">=", "95", "%", "rate")],
    "44": [("全区能繁母猪", ">=", "0.9", "万头", "absolute")],
    # "到 2023 年底" is a date.
    "45": [("全区省级畜禽屠宰标准化企业", ">=", "3", "家", "absolute")],
    "74": [("普惠性幼儿园占比", ">=", "90", "%", "rate")],
    # A Chinese numeral after a target verb: "支持建设一所三级传染病医院".
    "80": [("三级传染病医院", ">=", "1", "所", "absolute")],
}


@pytest.mark.parametrize("number", list(EXPECTED_2023))
def test_2023_targets(number):
    text = _text(2023, number)
    indicators = extract_indicators(text)
    assert _summary(indicators) == EXPECTED_2023[number]
    _check_positions(text, indicators)


# 8 "“人才新政 35 条”", 18 "“15分钟便民生活圈”", 37 "制定2023年度工作要点", 58 "世界500强",
# 83 "“八抓20项”": quoted names, years and names, never targets.
@pytest.mark.parametrize("number", ["1", "8", "18", "37", "58", "83"])
def test_2023_texts_without_targets(number):
    assert extract_indicators(_text(2023, number)) == []


# --------------------------------------------------------------------------------------------
# Sweep over both plans
# --------------------------------------------------------------------------------------------


def _all_texts() -> list[tuple[str, str]]:
    texts = []
    for name in ("2022-work-report.txt", "2023-green-development.txt"):
        texts += [(f"{name}#{task.number}", task.text) for task in _plan(name).tasks]
    return texts


def test_sweep_both_plans():
    texts = _all_texts()
    assert len(texts) == 146 + 90
    with_targets = 0
    for label, text in texts:
        indicators = extract_indicators(text)
        with_targets += bool(indicators)
        positions = [indicator.position for indicator in indicators]
        assert positions == sorted(positions), label
        for indicator in indicators:
            assert text[indicator.position :].startswith(indicator.phrase), label
            assert indicator.name and not any(char.isspace() for char in indicator.name), label
            assert indicator.comparator in COMPARATORS, label
            assert indicator.kind in KINDS, label
            assert isinstance(indicator.target, Decimal) and indicator.target > 0, label
            assert indicator.unit in indicator.phrase or indicator.unit == "%", label
            if indicator.kind != "absolute":
                assert indicator.unit == "%", label
    assert with_targets == 33 + 21


# --------------------------------------------------------------------------------------------
# Written forms
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城镇登记失业率控制在4.5%以内", [("城镇登记失业率", "<=", "4.5", "%", "rate")]),
        ("地区生产总值增长６.５％以上", [("地区生产总值", ">=", "6.5", "%", "growth")]),
        ("新增就业岗位 1,700 个。", [("新增就业岗位", ">=", "1700", "个", "absolute")]),
        ("新建三个社区服务中心。", [("社区服务中心", ">=", "3", "个", "absolute")]),
        (
            "农作物种植面积稳定在 120 万亩左右",
            [("农作物种植面积", "about", "120", "万亩", "absolute")],
        ),
        ("用 3 个月时间完成整治", []),
        ("第 3 批试点，2022 年完成", []),
        ("培育 2～3 家企业", []),
        ("A、B等 3 个。", []),
        ("10 家", []),
        ("", []),
    ],
)
def test_written_forms(text, expected):
    indicators = extract_indicators(text)
    assert _summary(indicators) == expected
    _check_positions(text, indicators)


def test_indicator_is_frozen():
    (indicator,) = extract_indicators("新增停车位 2000 个")
    with pytest.raises(AttributeError):
        indicator.target = Decimal(1)  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# completion_percent
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "target", "actual", "expected"),
    [
        (">=", "6.5", None, None),
        ("<=", "4.5", None, None),
        (">=", "10", "5", 50.0),
        (">=", "10", "10", 100.0),
        (">=", "10", "15", 100.0),  # capped
        (">=", "10", "0", 0.0),
        (">=", "10", "-2", 0.0),  # never below 0
        (">=", "0", "0", 100.0),
        (">=", "0", "3", 100.0),
        (">=", "0", "-1", 0.0),
        (">=", "6.5", "3.25", 50.0),
        ("about", "6", "3", 50.0),
        ("about", "6", "7", 100.0),
        ("about", "0", "0", 100.0),
        ("<=", "4.5", "4.5", 100.0),
        ("<=", "4.5", "3", 100.0),
        ("<=", "4.5", "9", 50.0),
        ("<=", "4", "5", 80.0),
        ("<=", "0", "0", 100.0),
        ("<=", "0", "2", 0.0),
    ],
)
def test_completion_percent(comparator, target, actual, expected):
    result = completion_percent(
        comparator, Decimal(target), None if actual is None else Decimal(actual)
    )
    assert result == expected
    if result is not None:
        assert isinstance(result, float)


def test_completion_percent_unknown_comparator():
    with pytest.raises(ValueError):
        completion_percent("==", Decimal(1), Decimal(1))
