"""A unit's 待办 (what needs action), across every period it may still write.

Pure module: callers pass the open periods with their due times, the tasks the unit owes, its
reports of those periods and "now"; nothing here reads the database or the clock.

Order of need: returned reports first (someone asked for a change), then drafts (started,
not handed in), then owed reports whose deadline has passed (overdue), then owed reports not
started yet. Within a kind, the older period first, then the task's order in the plan.
"""

import datetime
from dataclasses import dataclass

RETURNED, DRAFT, OVERDUE, NOT_STARTED = "returned", "draft", "overdue", "not_started"
KINDS = (RETURNED, DRAFT, OVERDUE, NOT_STARTED)
LABELS = {RETURNED: "已退回", DRAFT: "草稿未提交", OVERDUE: "逾期未报", NOT_STARTED: "未填报"}
# Rank of a task row in 我的任务 by its report of the period shown: what needs action first.
ROW_RANK = {RETURNED: 0, DRAFT: 1, None: 2, "submitted": 3, "approved": 4, "accepted": 5}


@dataclass(frozen=True)
class TodoItem:
    kind: str
    period: object  # tasks.periods.Period
    task_id: int
    report: object | None  # the ProgressReport, for returned reports and drafts

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def todo_items(
    *,
    periods: list,
    due: dict,
    owed: set[int],
    reports: dict[tuple[str, int], object],
    now: datetime.datetime,
    sort_key=lambda task_id: task_id,
    closed: frozenset[int] | set[int] = frozenset(),
) -> list[TodoItem]:
    """What the unit has to do, most urgent first.

    `periods`: the open periods; `due`: period key -> deadline; `owed`: ids of the tasks the
    unit must report on; `reports`: (period key, task id) -> the unit's report (any state);
    `sort_key`: a task id's place in the plan; `closed`: ids of closed tasks (已办结), which
    leave the to-do whatever their reports (a draft left on one is not asked for any more).
    """
    items = []
    owed = set(owed) - set(closed)
    for period in periods:
        for task_id in owed:
            report = reports.get((period.key, task_id))
            if report is None:
                kind = OVERDUE if now > due[period.key] else NOT_STARTED
            elif report.state in (RETURNED, DRAFT):
                kind = report.state
            else:
                continue
            items.append(TodoItem(kind, period, task_id, report))
        for (key, task_id), report in reports.items():
            # Returned reports and drafts on tasks the unit does not owe (optional ones) too.
            if (
                key == period.key
                and task_id not in owed
                and task_id not in closed
                and report.state in (RETURNED, DRAFT)
            ):
                items.append(TodoItem(report.state, period, task_id, report))
    return sorted(items, key=lambda i: (KINDS.index(i.kind), i.period.start, sort_key(i.task_id)))


def counts(items: list[TodoItem]) -> dict[str, int]:
    found = dict.fromkeys(KINDS, 0)
    for item in items:
        found[item.kind] += 1
    return found
