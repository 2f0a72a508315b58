"""我的任务's data: the unit's tasks as kept rows of plain values, its reports, the 待办 block.

What a unit's list shows of each task (number, text, links, its role, its lead units, whether
it owes a report this period, its light as of the day) is derived from the plan's structure,
the duties and the task states: it is kept in the figures store (tasks.revision) as one
figure per unit, period and day, of plain values (dicts of str, int, date), so a page reads
it with no query and unpickles it in a fraction of what the model instances and the task
states would cost. The unit's reports are read on every request (a draft saved moves no
figure: tasks.receivers), one query, as plain rows.
"""

import datetime
import functools
from collections import namedtuple

from django.urls import get_script_prefix, reverse

from accounts.roles import person_of

from . import clock, reporting, revision, todo
from .access import reports_visible_to, tasks_visible_to
from .duties import plan_duties
from .models import Plan, ProgressReport, TaskUnit
from .periods import plan_periods
from .progress import plan_task_states
from .tables import UNITS
from .unit_role import unit_role
from .unit_todo_filters import options_of

# One of the unit's reports, as my_tasks and the 待办 block read it.
ReportRow = namedtuple("ReportRow", ["period_key", "task_id", "state", "is_late", "return_reason"])


def _scope(user) -> tuple:
    """What the tasks a person reads depend on (tasks.access.tasks_visible_to): the unit, and
    whether the person reads the whole plan (the office, a leader)."""
    person = person_of(user)
    return (person.unit.pk, person.is_office or person.leader is not None)


def unit_tasks(user, plan: Plan, period, as_of: datetime.date) -> dict:
    """{"rows": [row, ...] in plan order, "owed": ids of the tasks the unit owes a report
    for `period`, "options": the filter bar's (tasks.unit_todo_filters.options_of), "plans":
    every plan's pk, slug, year and title (the plan picker)}: every task `user` reads whose
    unit has a part in it, with what else the page draws, kept until the data revision moves
    (one figure: one load from the store per page). A row: pk, number, text, short_text, url and report_url (paths after the
    script prefix), sort_order, closed_on, role (tasks.unit_role), lead_units (names),
    owed, light (light, status value, light words, status words as of `as_of`, or None)."""
    key = (plan.pk, *_scope(user), period.key, as_of)
    return revision.memo("unit_page", key, lambda: _unit_tasks(user, plan, period, as_of))


def _unit_tasks(user, plan: Plan, period, as_of: datetime.date) -> dict:
    unit = person_of(user).unit
    duties = plan_duties(plan, period)
    owed = {task_id for task_id, units in duties.items() if any(d == unit.pk for d, _ in units)}
    states = plan_task_states(plan, as_of)
    group_ids = set(unit.groups.values_list("pk", flat=True))
    prefix = len(get_script_prefix())  # kept paths are the same under any prefix
    tasks = tasks_visible_to(user, plan.tasks.order_by("sort_order", "pk")).prefetch_related(UNITS)
    rows = []
    for task in tasks:
        links = task.unit_links.all()
        state = states.get(task.pk)
        light = None
        if state is not None:
            status = state.status
            light = tuple(map(str, (status.light, status.value, status.light_label, state.label)))
        rows.append(
            {
                "pk": task.pk,
                "number": task.number,
                "text": task.text,
                "short_text": task.short_text,
                "url": task.get_absolute_url()[prefix:],
                "report_url": reverse("tasks:report", args=[plan.slug, task.number])[prefix:],
                "sort_order": task.sort_order,
                "closed_on": task.closed_on,
                "role": unit_role(links, unit.pk, group_ids),
                "lead_units": [link.name for link in links if link.role == TaskUnit.Role.LEAD],
                "owed": task.pk in owed,
                "light": light,
            }
        )
    return {
        "rows": rows,
        "owed": owed,
        "options": options_of(plan),
        "plans": list(Plan.objects.values("pk", "slug", "year", "title")),
    }


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
                {
                    "item": i,
                    "task": tasks[i.task_id],
                    "url": prefix + tasks[i.task_id]["report_url"],
                }
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


def state_counts(reports, total: int) -> dict:
    counts = {"total": total, "none": total}
    for report in reports:
        counts[report.state] = counts.get(report.state, 0) + 1
        counts["none"] -= 1
    return counts
