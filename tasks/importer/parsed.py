"""What the plan readers return: parsed plans, sections and tasks, and the refusal error.

Pure Python (no Django); shared by the text parser and the table readers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedSection:
    number: str  # Chinese numeral as written: "一", "十一"
    title: str  # "主要预期目标"
    line: int  # 1-based line in the source text
    # Leaders a group heading names ("一、于会游市长主抓重点工作"): they lead every task under it.
    leaders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedTask:
    number: str  # "1", "53", "6", "6(1)"
    parent_number: str | None  # "6" for "6(1)", else None
    section_number: str  # ParsedSection.number it belongs to; "" when the plan has no sections
    title: str  # heading sentence in heading-style plans (2023), else ""
    text: str  # full text without number prefix and responsibilities, PDF breaks joined
    lead_leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    line: int  # 1-based line where the task starts
    # 责任单位 with no rule saying which of them leads: the office chooses (responsibility.py).
    responsible_units: tuple[str, ...] = ()
    deadline: str = ""  # 完成时限 as written: "6月底前", "全年", "长期坚持"


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    year: int | None
    doc_number: str
    issued_on: datetime.date | None
    sections: tuple[ParsedSection, ...]
    tasks: tuple[ParsedTask, ...]
    warnings: tuple[str, ...]
    doubts: tuple = ()  # doubts.Doubt: what the office must see before the import is applied


class PlanParseError(ValueError):
    """A document the parser refuses, with a message for users (Chinese) and for logs."""

    def __init__(self, message_zh: str, *, line: int | None = None, message_en: str = ""):
        self.message_zh = message_zh
        self.line = line
        self.message_en = message_en
        super().__init__(message_zh)

    def __str__(self) -> str:
        if self.line is None:
            return self.message_zh
        return f"第 {self.line} 行：{self.message_zh}"

    def __reduce__(self):
        # Keep the keyword-only attributes when the error crosses a process boundary (Celery).
        return (_rebuild_error, (self.message_zh, self.line, self.message_en))


def _rebuild_error(message_zh: str, line: int | None, message_en: str) -> PlanParseError:
    return PlanParseError(message_zh, line=line, message_en=message_en)
