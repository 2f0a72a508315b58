"""Pure rules about unit names (no Django): how to compare them and what a name suggests.

The plan parser (which must stay free of Django) and the resolver both use these.
"""

import re

_WHITESPACE_RE = re.compile(r"\s+")


def without_whitespace(text: str) -> str:
    """The text with every space, tab and line break removed (PDF text breaks anywhere)."""
    return _WHITESPACE_RE.sub("", text)


def normalize_name(name: str) -> str:
    """The form used to compare names: no whitespace, full-width parentheses."""
    return without_whitespace(name).replace("(", "（").replace(")", "）")


# The collective-name rule: a phrase such as 区政府各部门（单位）, 各镇政府, 市直各有关部门 or
# 某某领导小组成员单位 names a group of units (a UnitGroup), not one unit (a Department). The
# parser decides with it where "X等…" splits, the resolver which record a new name becomes.
COLLECTIVE_PREFIXES = ("各", "区政府各", "区直各", "全区各", "市直各", "县直各")
COLLECTIVE_SUFFIXES = ("各成员单位", "成员单位", "各部门", "各单位", "（单位）", "(单位)")


def looks_collective(name: str) -> bool:
    """Whether a unit name, as written or normalised, names a group of units."""
    return name.startswith(COLLECTIVE_PREFIXES) or name.endswith(COLLECTIVE_SUFFIXES)


def guess_kind(name: str) -> str:
    """The most likely Department.kind value of a unit known only by its name."""
    if name.endswith(("街道办事处", "街道")):
        return "subdistrict"
    if name.endswith(("镇", "镇政府", "镇人民政府")):
        return "town"
    if name.startswith(("区委", "区纪委", "中共")) or name in {"区关工委"}:
        return "party"
    if name.endswith(
        ("工会", "联合会", "妇联", "残联", "团区委", "红十字会", "协会", "科协", "工商联")
    ):
        return "mass"
    if name.endswith("中心"):
        return "centre"
    if name.endswith(("局", "分局", "委员会", "办公室", "办")):
        return "bureau"
    return "other"
