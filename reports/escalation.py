"""When a task earns a 督办单 (三色督办): the escalation ladder, as pure functions.

Pure module: no Django, no database, no "now". The caller gives a task's status at the end of
each of its recent periods (oldest first, from tasks.progress.status_history), its completion
and its nodes; reports.escalation_flow turns a trigger into a proposed notice, which the office
confirms (a job never sends one alone).

The ladder (settings ESCALATION_*, the office tunes it):
    黄色督办单  the task 滞后 (or worse) for `yellow_periods` consecutive periods;
    红色督办单  the task 严重滞后 for `red_periods` consecutive periods, or a node of it overdue
               (its date passed with the completion below the node's percent).
Red outranks yellow: a task that earns both gets the red one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tasks.status import Status

YELLOW = "yellow"
RED = "red"
COLOR_LABELS = {YELLOW: "黄色督办单", RED: "红色督办单"}
COLOR_RANK = {YELLOW: 1, RED: 2}
LAGGING = frozenset({Status.BEHIND, Status.SERIOUSLY_BEHIND})


@dataclass(frozen=True)
class Ladder:
    yellow_periods: int = 3  # consecutive 滞后 periods before a 黄色督办单
    red_periods: int = 1  # consecutive 严重滞后 periods before a 红色督办单
    reply_days: int = 5  # days the lead unit has to reply with its 整改措施

    def __post_init__(self) -> None:
        if self.yellow_periods < 1 or self.red_periods < 1:
            raise ValueError("the ladder needs at least one period per step")
        if self.reply_days < 1:
            raise ValueError("reply_days must be at least 1")


@dataclass(frozen=True)
class Node:
    due: date  # the node's effective date (extended_due or due)
    percent: float  # the completion expected by then
    description: str = ""


@dataclass(frozen=True)
class Trigger:
    color: str  # YELLOW or RED
    facts: tuple[str, ...]  # what the notice states as its grounds, in Chinese

    @property
    def label(self) -> str:
        return COLOR_LABELS[self.color]


def trailing_run(statuses: Sequence[Status | str], members) -> int:
    """How many of the latest statuses in a row are in `members`."""
    run = 0
    for status in reversed(statuses):
        if Status(status) not in members:
            break
        run += 1
    return run


def overdue_nodes(as_of: date, completion: float | None, nodes: Sequence[Node]) -> list[Node]:
    """Nodes whose date passed (before `as_of`) with the completion still below their percent."""
    actual = 0.0 if completion is None else completion
    return [n for n in nodes if n.due < as_of and actual < n.percent]


def _labels(labels: Sequence[str], run: int) -> str:
    return "、".join(labels[len(labels) - run :])


def trigger(
    history: Sequence[tuple[str, Status | str]],
    *,
    as_of: date,
    completion: float | None,
    nodes: Sequence[Node] = (),
    ladder: Ladder = Ladder(),
) -> Trigger | None:
    """The notice the task earns at `as_of`, or None.

    history: (period label, status) oldest first, ending with the period of `as_of`.
    A closed task (已完成) earns nothing: its latest status ends every run.
    """
    labels = [label for label, _ in history]
    statuses = [Status(s) for _, s in history]
    late = overdue_nodes(as_of, completion, nodes)
    serious = trailing_run(statuses, {Status.SERIOUSLY_BEHIND})
    if statuses and statuses[-1] == Status.DONE:
        return None
    facts = []
    if serious >= ladder.red_periods:
        facts.append(
            f"连续{serious}期严重滞后（{_labels(labels, serious)}）"
            if serious > 1
            else f"{labels[-1]}严重滞后"
        )
    shown = "—" if completion is None else f"{completion:g}%"
    for node in late:
        what = f"“{node.description}”" if node.description else ""
        facts.append(
            f"时间节点{what}（{node.due.year}年{node.due.month}月{node.due.day}日，"
            f"应达{node.percent:g}%）已过期，完成进度{shown}"
        )
    if facts:
        return Trigger(RED, tuple(facts))
    lagging = trailing_run(statuses, LAGGING)
    if lagging >= ladder.yellow_periods:
        return Trigger(YELLOW, (f"连续{lagging}期滞后（{_labels(labels, lagging)}）",))
    return None


def outranks(new: str, existing: str) -> bool:
    """A red trigger outranks an open yellow notice; nothing outranks a red one."""
    return COLOR_RANK[new] > COLOR_RANK[existing]
