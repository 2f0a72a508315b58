"""A task's node plan (时间节点) from its 时间节点 / 进度安排 / 完成时限 cell (pure Python).

"3月底前完成立项；6月底前开工；9月底主体完工；12月底竣工" → four nodes, dated by
tasks.importer.deadlines ("年底前" is the year's end here), each described by what is left of its phrase. A percent written in a
phrase ("6月底完成投资的50%", "6月底前开工（30%）") is that node's expected progress; nodes
without one are spread evenly between their neighbours, up to 100 % at the last node (the
import preview says so). One dated phrase is a deadline, not a node plan: nodes need two.
The deadline stays the last date named (parse_deadline), which is the last node's date.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from .deadlines import parse_deadline

MAX_NODES = 24  # as the node form (tasks.node_forms.MAX_NODES)

_SPLIT_RE = re.compile(
    r"[；;。\n]+|[，,、](?=\s*(?:(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月|年底|年末|[一二三四]季度))"
)
_YEAR_END_RE = re.compile(r"^\s*(?:年底|年末)")
_PERCENT_RE = re.compile(r"[（(]?\s*(\d{1,3}(?:\.\d)?)\s*[%％][）)]?")
_DATE_PHRASE_RE = re.compile(
    r"^\s*(?:(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]|底|末|中旬|上旬|下旬|份)?"
    r"|年底|年末|第?[一二三四]季度末?)\s*(?:前|之前|以前)?\s*[，,：:]?\s*"
)


@dataclass(frozen=True)
class ParsedNode:
    due: datetime.date
    description: str  # "完成立项"
    percent: Decimal  # expected completion at `due`
    percent_given: bool  # written in the document (else spread evenly)


def _phrases(text: str) -> list[str]:
    return [p.strip(" \t，,、") for p in _SPLIT_RE.split(text or "") if p.strip(" \t，,、")]


def _describe(phrase: str) -> str:
    """What is left of a phrase without its date and percent: "6月底前开工（30%）" → "开工"."""
    rest = _PERCENT_RE.sub("", _DATE_PHRASE_RE.sub("", phrase, count=1)).strip(" ，,：:")
    rest = re.sub(r"^(?:完成)?(?:进度)?(?:达到|达)?$", "", rest)
    return (rest or phrase.strip())[:200]


def _spread(given: list[Decimal | None]) -> list[Decimal]:
    """Missing percents filled linearly between the given ones, from 0 before the first node
    to 100 at the last (when the last is not given), rounded to one decimal."""
    values = list(given)
    if values[-1] is None:
        values[-1] = Decimal(100)
    anchors = [(-1, Decimal(0))] + [(i, v) for i, v in enumerate(values) if v is not None]
    for (i, low), (j, high) in zip(anchors, anchors[1:], strict=False):
        for k in range(i + 1, j):
            share = Decimal(k - i) / Decimal(j - i)
            values[k] = (low + (high - low) * share).quantize(Decimal("0.1"))
    return values


def parse_nodes(text: str, year: int | None) -> list[ParsedNode]:
    """The node plan a 时间节点 cell lists, or [] when it is not one: fewer than two dated
    phrases, dates not in order, outside the plan year, or percents above 100 or going down
    (then the cell is only the task's 完成时限, as before)."""
    if not text or not year:
        return []
    dated = []
    for phrase in _phrases(text):
        day = parse_deadline(phrase, year)
        if day is None and _YEAR_END_RE.match(phrase):  # "年底前完工": a node at the year's end
            day = datetime.date(year, 12, 31)
        if day is None:
            continue
        percent = _PERCENT_RE.search(phrase)
        dated.append((day, _describe(phrase), Decimal(percent.group(1)) if percent else None))
    if not 2 <= len(dated) <= MAX_NODES:
        return []
    days = [d for d, _, _ in dated]
    if any(a >= b for a, b in zip(days, days[1:], strict=False)):
        return []
    if any(d.year != year for d in days):
        return []
    percents = _spread([p for _, _, p in dated])
    if any(p > 100 for p in percents) or any(
        a > b for a, b in zip(percents, percents[1:], strict=False)
    ):
        return []
    return [
        ParsedNode(due=day, description=what, percent=percent, percent_given=given is not None)
        for (day, what, given), percent in zip(dated, percents, strict=True)
    ]
