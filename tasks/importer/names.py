"""Splitting responsibility values into unit and leader names (pure Python, no Django).

Values come as documents write them: "区财政局、各镇政府(街道办事处)", "X等区政府各部门（单位）",
"柳园、闫寺等街道办事处". Names are returned as written, only whitespace removed.
"""

from __future__ import annotations

import re

# A pure module (no Django): the same comparison and collective-name rules the resolver uses.
from departments.naming import looks_collective, normalize_name, without_whitespace

# Bracket pairs. A responsibility part opened with 〔 closes with 〕 whatever parentheses it
# contains; full- and half-width parentheses are one family because documents mix them
# ("（牵头单位：…分局)").
BRACKET_FAMILY = {
    "（": "paren",
    "(": "paren",
    "）": "paren",
    ")": "paren",
    "〔": "shell",
    "〕": "shell",
    "[": "square",
    "]": "square",
    "［": "square",
    "］": "square",
    "【": "lenticular",
    "】": "lenticular",
}
OPENERS = "（(〔[［【"
CLOSERS = "）)〕]］】"

_UNIT_SEPARATORS = "、，,；;"
_LEADER_SEPARATORS = "、，,；;"
VALUE_TRIM = " \t\u3000；;，,。.、:："

# "柳园、闫寺等街道办事处": bare place names before 等 take the unit type after it.
_UNIT_TYPE_SUFFIXES = (
    "街道办事处",
    "街道办",
    "街道",
    "镇人民政府",
    "镇政府",
    "乡镇",
    "镇",
    "乡",
    "社区",
    "村",
)
# Endings of full unit names: a name with one of them is not a bare place name.
_ORG_ENDINGS = (
    "局", "委", "办", "会", "中心", "部", "院", "所", "处", "府", "队", "站", "室", "社", "司",
    "团", "校", "馆", "镇", "街道", "乡", "村",
)  # fmt: skip
# "区财政局等部门": a vague filler after 等 adds no unit.
_GENERIC_RE = re.compile(r"^(?:\d+个)?(?:其他|其它|相关|有关)?(?:部门|单位)(?:[（(]单位[）)])?$")


def split_units(value: str) -> tuple[str, ...]:
    """Split one responsibility value into unit names, in order, as written.

    Separators inside parentheses do not split ("各镇政府(街道办事处)、园区管委会" is two
    names); "X等区政府各部门（单位）" is X plus the group; "柳园、闫寺等街道办事处" gives
    "柳园街道办事处", "闫寺街道办事处". Whitespace is removed, empties and repeats dropped.
    """
    items: list[tuple[str, bool]] = []  # (name, is a bare place name waiting for a suffix)
    for part in _split_outside_brackets(clean_value(value), _UNIT_SEPARATORS):
        part = clean_value(without_whitespace(part))
        if not part:
            continue
        deng = _find_outside_brackets(part, "等")
        if deng < 0:
            items.append((part, _is_bare_place(part)))
            continue
        left, right = part[:deng], clean_value(part[deng + 1 :])
        suffix = _unit_type_suffix(right)
        if suffix and (not left or _is_bare_place(left)):
            # 等 closes a list of place names: give each bare name the unit type.
            items.append((left, True) if left else (right, False))
            items = _apply_suffix(items, suffix)
        elif not right or _GENERIC_RE.match(right):
            items.append((left, False))
        elif looks_collective(right) or suffix:
            items.append((left, False))
            items.append((right, False))
        else:
            # 等 is part of the name ("…中等职业教育学校").
            items.append((part, False))
    return unique_names(name for name, _bare in items)


def split_leaders(value: str) -> tuple[str, ...]:
    """Split a leader value ("张三、李四") into names, in order."""
    parts = _split_outside_brackets(clean_value(value), _LEADER_SEPARATORS)
    return unique_names(clean_value(without_whitespace(part)) for part in parts)


def unique_names(names) -> tuple[str, ...]:
    seen: set[str] = set()
    result = []
    for name in names:
        key = normalize_name(name)
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return tuple(result)


def _is_bare_place(name: str) -> bool:
    return (
        0 < len(name) <= 4
        and not name.endswith(_ORG_ENDINGS)
        and not name.startswith(("区", "各", "市", "县"))
    )


def _unit_type_suffix(phrase: str) -> str:
    """The unit type of "街道办事处" / "相关街道办事处", or "" when phrase is something else."""
    for prefix in ("相关", "有关"):
        if phrase.startswith(prefix):
            phrase = phrase[len(prefix) :]
    return phrase if phrase in _UNIT_TYPE_SUFFIXES else ""


def _apply_suffix(items: list[tuple[str, bool]], suffix: str) -> list[tuple[str, bool]]:
    """Append suffix to the run of bare place names at the end of items."""
    result = list(items)
    index = len(result) - 1
    while index >= 0 and result[index][1]:
        result[index] = (result[index][0] + suffix, False)
        index -= 1
    return result


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, current, depth = [], [], 0
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _find_outside_brackets(text: str, target: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and char == target:
            return index
    return -1


def clean_value(value: str) -> str:
    """Strip separators and unbalanced brackets from both ends of a value."""
    while True:
        before = value
        value = value.strip(VALUE_TRIM)
        if value and value[-1] in OPENERS:
            value = value[:-1]
        elif value and value[-1] in CLOSERS and _bracket_balance(value) < 0:
            value = value[:-1]
        if value and value[0] in OPENERS and _bracket_balance(value) > 0:
            value = value[1:]
        if value and value[0] in CLOSERS:
            value = value[1:]
        if value == before:
            return value


def _bracket_balance(text: str) -> int:
    return sum(char in OPENERS for char in text) - sum(char in CLOSERS for char in text)
