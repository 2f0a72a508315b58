"""What the office must see before a parsed plan is applied (pure Python, no Django).

A doubt does not stop the import: the preview highlights it and the office confirms. The parser
refuses only what it cannot read (``PlanParseError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NOBODY = "nobody"  # a task with no leader and no unit
LEAD_OPEN = "lead_open"  # 责任单位 without a rule saying which of them leads
UNIT_TEXT = "unit_text"  # a unit name that reads like task text
NUMBER_GAP = "number_gap"  # a table whose numbers skip or repeat

LABELS = {
    NOBODY: "无责任主体",
    LEAD_OPEN: "牵头单位待定",
    UNIT_TEXT: "单位名称疑似正文",
    NUMBER_GAP: "编号不连续",
}

_TEXT_START_RE = re.compile(
    r"^(?:加快|推进|推动|完成|落实|做好|开展|实施|加强|建设|提升|确保|持续|深化|全面|积极|力争)"
)
_UNIT_NAME_MAX = 30


@dataclass(frozen=True)
class Doubt:
    kind: str
    message: str  # Chinese, for the preview and the command line
    line: int | None = None
    task_number: str = ""

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)

    def __str__(self) -> str:
        where = f"第 {self.line} 行：" if self.line else ""
        return f"{where}{self.message}"


def looks_like_text(name: str) -> bool:
    """A "unit" that is really a piece of task text (a cell read into the wrong column)."""
    return (
        len(name) > _UNIT_NAME_MAX
        or any(char in name for char in "。；;！!？?")
        or bool(_TEXT_START_RE.match(name))
    )


def find_doubts(tasks) -> tuple[Doubt, ...]:
    """Doubts about the tasks themselves: nobody responsible, open leads, text as a unit."""
    parents = {task.parent_number for task in tasks if task.parent_number}
    anyone = any(
        task.lead_leaders or task.lead_units or task.cooperating_units or task.responsible_units
        for task in tasks
    )
    doubts = []
    for task in tasks:
        units = (*task.lead_units, *task.cooperating_units, *task.responsible_units)
        if anyone and task.number not in parents and not (task.lead_leaders or units):
            doubts.append(
                Doubt(
                    NOBODY, f"任务 {task.number} 未写明牵头领导或责任单位", task.line, task.number
                )
            )
        if task.responsible_units:
            names = "、".join(task.responsible_units)
            doubts.append(
                Doubt(
                    LEAD_OPEN,
                    f"任务 {task.number} 的责任单位（{names}）未注明谁牵头，请选择牵头单位",
                    task.line,
                    task.number,
                )
            )
        for name in units:
            if looks_like_text(name):  # once per task: a sentence splits into several "names"
                doubts.append(
                    Doubt(
                        UNIT_TEXT,
                        f"任务 {task.number} 的单位“{name[:40]}”看起来像任务正文，请核对",
                        task.line,
                        task.number,
                    )
                )
                break
    return tuple(doubts)
