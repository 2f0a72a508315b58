"""Extract quantitative targets (指标) from the text of a task.

A plan task often states what is to be achieved in numbers: "地区生产总值增长 6.5%以上",
"新增高新技术企业 10 家", "城镇登记失业率控制在 4.5%以内", "…等 86 个重点项目建设". This
module reads such targets out of a task's text so that the office can record actual values
against them and see how far each target is met.

The extractor is deliberately precise rather than greedy: a number counts only when it carries a
unit from a known list (so years, durations, ordinals and names such as "5G" or "十四五" are
ignored), it is not inside quotes or a document title ("“15 分钟政务服务圈”", "《…2023 年…》"),
and it does not merely describe something else ("亿元以上项目", "年产 20 万吨…",
"总投资 10 亿元、20 亿元以上的大项目"). The office adds whatever the extractor leaves out.

How the name of an indicator is found:

* Usually it precedes the number within its clause: "新增高新技术企业 10 家" → 新增高新技术企业.
  Lead-in words that only say "achieve" (完成, 力争, 确保, 全年, …) are dropped, and so are the
  comparison words before the number (达到, 控制在, 突破, …); for percentages, the growth word
  too ("增长", "提高"), which makes the indicator a growth rate.
* When the quantity is followed by what it counts ("启动 4 个棚户区改造", "…等 86 个重点项目
  建设"), the name is read after the number instead: 棚户区改造, 重点项目.

No Django imports: the loader and the reporting views build on these plain values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .indicator_completion import completion_percent
from .indicator_vocabulary import (
    ACTION_WORDS,
    CHINESE_DIGITS,
    CHINESE_QUANTITY_RE,
    CLAUSE_END,
    COMPARISON_WORDS,
    COUNT_UNITS,
    DELIMITERS,
    DESCRIPTIVE_PREFIXES,
    DIGITS,
    GROWTH_TAIL_WORDS,
    GROWTH_WORDS,
    LEAD_WORDS,
    QUALIFIERS,
    QUANTITY_RE,
    QUOTED_RE,
    TRAILING_NAME_STOPS,
    TRAILING_NAME_TAILS,
    VERBS,
)

__all__ = [
    "COMPARATORS",
    "KINDS",
    "ParsedIndicator",
    "completion_percent",
    "extract_indicators",
]

COMPARATORS = (">=", "<=", "about")
KINDS = ("growth", "rate", "absolute")


@dataclass(frozen=True)
class ParsedIndicator:
    name: str  # what is measured: "地区生产总值", "新增高新技术企业", "年度投资"
    comparator: str  # ">=", "<=" or "about"
    target: Decimal  # 6.5, 195, 10, 4.5
    unit: str  # "%", "亿元", "家", "个", … as written
    kind: str  # "growth" (增长 6.5%), "rate" (失业率 4.5%) or "absolute"
    phrase: str  # exact fragment of the text the indicator was read from
    position: int  # offset of phrase in the text


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


@dataclass
class _Quantity:
    start: int  # first character of the number
    end: int  # after the unit and its qualifier
    value: Decimal
    unit: str
    qualifier: str  # "以上", "以下", "以内", "左右" or ""
    is_count: bool
    followed_by_text: bool  # the clause goes on after the quantity
    modifier: bool = False  # describes something rather than being a target


def extract_indicators(text: str) -> list[ParsedIndicator]:
    """The quantitative targets stated in a task's text, in text order."""
    if not text:
        return []
    quoted = [match.span() for match in QUOTED_RE.finditer(text)]
    quantities = _find_quantities(text, quoted)
    _mark_modifiers(text, quantities)

    indicators: list[ParsedIndicator] = []
    boundary = 0  # a name starts no earlier than the end of the previous target
    for quantity in quantities:
        if quantity.modifier:
            continue
        indicator = _read_indicator(text, quantity, boundary)
        if indicator is None:
            continue
        indicators.append(indicator)
        boundary = indicator.position + len(indicator.phrase)
    return indicators


def _find_quantities(text: str, quoted: list[tuple[int, int]]) -> list[_Quantity]:
    found: dict[int, _Quantity] = {}
    for match in QUANTITY_RE.finditer(text):
        start = match.start("number")
        if _inside(start, quoted) or not _stands_alone(text, match):
            continue
        try:
            value = _decimal(match.group("number"))
        except InvalidOperation:
            continue
        found[start] = _quantity(text, match, value)
    for match in CHINESE_QUANTITY_RE.finditer(text):
        start = match.start("number")
        value = _chinese_number(match.group("number"))
        if value is None or _inside(start, quoted) or start in found:
            continue
        found[start] = _quantity(text, match, Decimal(value))
    return [found[start] for start in sorted(found)]


def _quantity(text: str, match: re.Match[str], value: Decimal) -> _Quantity:
    unit = _canonical_unit(match.group("unit"))
    qualifier = (match.group("qualifier") or "").strip()
    end = match.end()
    rest = text[end:].lstrip(" \t\u3000")
    return _Quantity(
        start=match.start("number"),
        end=end,
        value=value,
        unit=unit,
        qualifier=qualifier,
        is_count=unit in COUNT_UNITS,
        followed_by_text=bool(rest) and rest[0] not in CLAUSE_END,
    )


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """Whether the number is a quantity of its own, not part of a code, ordinal or range."""
    start, number_end = match.start("number"), match.end("number")
    before = text[start - 1] if start else ""
    if before and (before.isascii() and before.isalnum() or before in "._-/#"):
        return False  # "G20", "V2.0", "2022-03"
    stripped = text[:start].rstrip(" \t\u3000")
    if stripped.endswith("第"):
        return False  # ordinal: 第 3 批
    # Ranges are left to the office: "2—3 家", "3～5 个".
    if re.match(rf"[ \t\u3000]*[—–\-~～至到][ \t\u3000]*[{DIGITS}]", text[number_end:]):
        return False
    if re.search(rf"[{DIGITS}][ \t\u3000]*[—–\-~～至][ \t\u3000]*$", text[:start]):
        return False
    return True


def _mark_modifiers(text: str, quantities: list[_Quantity]) -> None:
    """Flag quantities that describe something instead of stating a target.

    Right to left, so that an enumeration in one unit ("10 亿元、20 亿元、50 亿元以上的大项目")
    inherits the status of its last member.
    """
    following: _Quantity | None = None
    for quantity in reversed(quantities):
        clause = _clause_before(text, quantity.start)
        if clause.endswith(DESCRIPTIVE_PREFIXES) and not quantity.is_count:
            quantity.modifier = True
        elif quantity.followed_by_text and not quantity.is_count:
            rest = text[quantity.end :].lstrip(" \t\u3000")
            # "投资 6750 万元建设高标准农田": a new action follows, the amount is the target;
            # "10 亿元以上项目", "20 万吨金属防腐涂料": the amount describes what follows.
            if not rest.startswith(ACTION_WORDS):
                lead_in = _is_lead_in(_clean_leading(clause))
                quantity.modifier = bool(quantity.qualifier) or not lead_in
        if (
            following is not None
            and following.modifier
            and following.unit == quantity.unit
            and re.fullmatch(
                r"[ \t\u3000]*[、,，和][ \t\u3000]*", text[quantity.end : following.start]
            )
        ):
            quantity.modifier = True
        following = quantity


def _read_indicator(text: str, quantity: _Quantity, boundary: int) -> ParsedIndicator | None:
    segment_start = max(boundary, _clause_start(text, quantity.start))
    while segment_start < quantity.start and text[segment_start].isspace():
        segment_start += 1
    before = text[segment_start : quantity.start]
    name_before, comparison, growth = _name_before(before, quantity.unit)

    if quantity.followed_by_text and (quantity.is_count or _is_lead_in(name_before)):
        # "启动 4 个棚户区改造", "…等 86 个重点项目建设": the name follows.
        name, name_end = _name_after(text, quantity.end)
        if not name:
            return None
        position, end = quantity.start, name_end
    else:
        if _is_lead_in(name_before):
            return None  # nothing says what is measured
        name = name_before
        position, end = segment_start, quantity.end

    comparator = QUALIFIERS.get(quantity.qualifier) or comparison or ">="
    if quantity.unit == "%":
        kind = "growth" if growth else "rate"
    elif quantity.unit == "个百分点":
        kind = "growth" if growth else "rate"
    else:
        kind = "absolute"
    return ParsedIndicator(
        name=name,
        comparator=comparator,
        target=quantity.value,
        unit=quantity.unit,
        kind=kind,
        phrase=text[position:end],
        position=position,
    )


def _name_before(before: str, unit: str) -> tuple[str, str, bool]:
    """The name in the text before a number, the comparison it states, and whether it grows."""
    name = _clean_leading(before)
    comparison = ""
    growth = False
    percent = unit in ("%", "个百分点")
    changed = True
    while changed and name:
        changed = False
        for word, comparator in COMPARISON_WORDS:
            if name.endswith(word) and len(name) > len(word):
                name = name[: -len(word)].rstrip()
                comparison = comparison or comparator
                changed = True
                break
        if percent and not growth:
            for word in GROWTH_WORDS:
                if name.endswith(word):
                    name = name[: -len(word)].rstrip()
                    growth = changed = True
                    break
        if growth:
            for word in GROWTH_TAIL_WORDS:
                if name.endswith(word) and len(name) > len(word):
                    name = name[: -len(word)].rstrip()
                    changed = True
                    break
    return _collapse(name), comparison, growth


def _clean_leading(text: str) -> str:
    name = text.strip()
    changed = True
    while changed:
        changed = False
        for word in LEAD_WORDS:
            if name.startswith(word):
                name = name[len(word) :].lstrip()
                changed = True
                break
    return _collapse(name)


def _name_after(text: str, start: int) -> tuple[str, int]:
    """The name that follows a quantity, and where its clause fragment ends in the text."""
    index = start
    while index < len(text) and text[index] in " \t\u3000":
        index += 1
    end = index
    while end < len(text) and text[end] not in DELIMITERS:
        end += 1
    raw_end = end
    while raw_end > index and text[raw_end - 1].isspace():
        raw_end -= 1
    name = text[index:raw_end]
    for stop in TRAILING_NAME_STOPS:
        cut = name.find(stop)
        if cut == 0:
            return "", raw_end  # "2000 个以上的小区": the quantity describes what follows
        if cut > 0:
            name = name[:cut]
    changed = True
    while changed:
        changed = False
        for tail in TRAILING_NAME_TAILS:
            if name.endswith(tail) and len(name) > len(tail):
                name = name[: -len(tail)]
                changed = True
    return _collapse(name), raw_end


def _is_lead_in(name: str) -> bool:
    """Whether text before a number only introduces it (a verb, a list ending in 等)."""
    return not name or name in VERBS or name.endswith("等")


def _clause_start(text: str, index: int) -> int:
    start = index
    while start > 0 and text[start - 1] not in DELIMITERS:
        start -= 1
    return start


def _clause_before(text: str, index: int) -> str:
    return text[_clause_start(text, index) : index].strip()


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in spans)


def _collapse(text: str) -> str:
    """Drop whitespace, keeping one space between two ASCII letters or digits ("5G 基站" → 5G基站)."""
    parts = text.split()
    if not parts:
        return ""
    result = parts[0]
    for part in parts[1:]:
        if (
            result[-1].isascii()
            and result[-1].isalnum()
            and part[0].isascii()
            and part[0].isalnum()
        ):
            result += " "
        result += part
    return result


def _canonical_unit(unit: str) -> str:
    return "%" if unit == "％" else unit


def _decimal(number: str) -> Decimal:
    normalized = unicodedata.normalize("NFKC", number).replace(",", "").replace("，", "")
    return Decimal(normalized)


def _chinese_number(numeral: str) -> int | None:
    """一 … 九十九; None for anything else."""
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        if "十" in units:
            return None
        tens_value = CHINESE_DIGITS.get(tens, None) if tens else 1
        units_value = CHINESE_DIGITS.get(units, None) if units else 0
        if tens_value is None or units_value is None:
            return None
        return tens_value * 10 + units_value
    if len(numeral) != 1:
        return None
    return CHINESE_DIGITS.get(numeral)
