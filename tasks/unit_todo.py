"""我的任务's data besides its kept rows (tasks.unit_figures): the unit's reports, read on every
request (a draft saved moves no figure: tasks.receivers), one query, as plain rows; the 待办
block from them; the summary's counts.
"""

import functools
from collections import namedtuple

from django.urls import get_script_prefix
from django.utils.text import Truncator

from accounts.roles import person_of

from . import clock, reporting, todo
from .access import reports_visible_to
from .models import Plan, ProgressReport
from .periods import plan_periods

# One of the unit's reports, as my_tasks and the 待办 block read it.
ReportRow = namedtuple("ReportRow", ["period_key", "task_id", "state", "is_late", "return_reason"])


def unit_reports(user, plan: Plan, keys, rows) -> dict:
    """The unit's reports of the plan's periods `keys` that `user` reads, (period key, task
    id) -> ReportRow: one query, every state (drafts too, which move no kept figure). `rows`:
    unit_tasks' rows, the tasks `user` reads (its scope, for reports_visible_to)."""
    unit = person_of(user).unit
    reports = reports_visible_to(
        user,
        ProgressReport.objects.filter(department=unit, period_key__in=keys, task__plan=plan),
        task_ids=[row["pk"] for row in rows],
    )
    # Keyed, not listed: no ordering (and none of its joins).
    reports = reports.values_list(*ReportRow._fields).order_by()
    return {(r[0], r[1]): ReportRow._make(r) for r in reports}


@functools.lru_cache(maxsize=64)
def year_periods(year: int, cycle: str) -> tuple:
    """plan_periods, worked out once per process: a pure function of its arguments, and
    periods are frozen (0.1 ms CPU a page for the period picker's 53 weeks)."""
    return tuple(plan_periods(year, cycle))


TODO_SHOWN = 10  # items of each kind listed in the 待办 block (the rest are counted)


def todo_block(plan, open_periods, owed: set[int], by_period: dict, shown_period, tasks) -> dict:
    """The 待办 block: returned, drafts, overdue, not started, across the open periods.
    `tasks`: task id -> its row (unit_tasks)."""
    due = {p.key: reporting.plan_due_at(plan, p) for p in open_periods}
    closed = {task_id for _, task_id in by_period if tasks[task_id]["closed_on"] is not None}
    items = todo.todo_items(
        periods=open_periods,
        due=due,
        owed=owed,
        reports=by_period,
        now=clock.now(),
        closed=closed,
    )
    kinds = {kind: [i for i in items if i.kind == kind] for kind in todo.KINDS}
    prefix = get_script_prefix()
    groups = [
        {
            "kind": kind,
            "label": todo.LABELS[kind],
            "count": len(kinds[kind]),
            "more": max(0, len(kinds[kind]) - TODO_SHOWN),
            "items": [
                _entry(i, tasks[i.task_id], prefix)
                for i in sorted(
                    kinds[kind][:TODO_SHOWN],
                    key=lambda i: (i.period.start, tasks[i.task_id]["sort_order"]),
                )
            ],
        }
        for kind in todo.KINDS
        if kinds[kind]
    ]
    elsewhere = sum(1 for i in kinds[todo.RETURNED] if i.period != shown_period)
    return {"groups": groups, "total": len(items), "returned_elsewhere": elsewhere}


def _entry(item, task: dict, prefix: str) -> dict:
    """An item of the 待办 block as the template shows it (returned first, in the primary
    style; returned and drafts are edited, the others written; a returned one's reason)."""
    returned = item.kind == todo.RETURNED
    reason = item.report.return_reason if returned and item.report else ""
    return {
        "item": item,
        "task": task,
        "url": f"{prefix}{task['report_url']}?period={item.period.key}",
        "primary": returned,
        "action": "修改" if item.kind in (todo.RETURNED, todo.DRAFT) else "填报",
        "period": item.period.short_label,
        "reason": Truncator(reason).chars(60) if reason else "",  # as |truncatechars:60
    }


def state_counts(reports, total: int) -> dict:
    counts = {"total": total, "none": total}
    for report in reports:
        counts[report.state] = counts.get(report.state, 0) + 1
        counts["none"] -= 1
    return counts
