"""What a task page shows that only the plan's data decides, kept under the data revision.

The task's own columns, its section and parent, its sub-items, who is responsible, its state
and its charts are derived from the plan's structure and the counted reports: every change to
them moves the data revision (tasks.receivers), so they are one kept figure per task and as-of
date (`task_figure`), of plain values, read with one look-up in the shared store instead of
five queries and the whole plan's states (a 133 KB pickle); the plan a URL names is kept too
(`tasks.lookups.kept_plan_or_404`). What a person may do, the reports he or she may read, the applications,
instructions and the audit trail are read for each request (they are not derived data, and
most of them move nothing).
"""

import datetime
from dataclasses import dataclass

from django.db import connections, router

from leaders.models import Instruction

from . import revision
from .export import responsibility_names, tasks_with_responsibilities
from .history import indicator_charts
from .lookups import columns_of as _columns
from .lookups import instance_of as _instance
from .models import ClosureApplication, ExtensionApplication, NodeProposal, Plan, Task, TaskEvent
from .progress import TaskState, plan_task_states


@dataclass(frozen=True)
class UnitLink:
    """A lead or cooperating unit as the plan document names it."""

    role: str
    name: str
    written_name: str
    is_group: bool


@dataclass(frozen=True)
class TaskFigure:
    values: tuple  # the task's concrete fields, in Task._meta.concrete_fields order
    section: str  # "一、标题"
    parent: tuple[str, str, str] | None  # (url, number, text)
    children: tuple[tuple[str, str, str], ...]  # (url, number, text), in document order
    lead_leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    unit_links: tuple[UnitLink, ...]  # in document order
    state: TaskState | None  # None: a heading (tasks.reportable)
    charts: tuple[str, ...]  # SVG, safe

    @property
    def pk(self) -> int:
        return self.values[0]  # Task._meta.concrete_fields begins with the id

    def task(self, plan: Plan) -> Task:
        """The task as a model instance (no query), its plan the one already loaded."""
        task = _instance(Task, self.values)
        task.plan = plan
        return task


def task_figure(plan: Plan, number: str, as_of: datetime.date) -> TaskFigure | None:
    """The kept figure of task `number` of the plan as of `as_of` (None: no such task)."""
    return revision.memo(
        "task-page", (plan.pk, number, as_of), lambda: _compute(plan, number, as_of), plan=plan
    )


def _compute(plan: Plan, number: str, as_of: datetime.date) -> TaskFigure | None:
    task = tasks_with_responsibilities(plan).select_related("parent").filter(number=number).first()
    if task is None:
        return None
    task.plan = plan
    leaders, lead, cooperating = responsibility_names(task)
    state = plan_task_states(plan, as_of).get(task.pk)
    parent = task.parent
    children = task.children.order_by("sort_order")
    return TaskFigure(
        values=_columns(task),
        section=f"{task.section.number}、{task.section.title}",
        parent=None if parent is None else (_url(plan, parent), parent.number, parent.text),
        children=tuple((_url(plan, c), c.number, c.text) for c in children),
        lead_leaders=tuple(leaders),
        lead_units=tuple(lead),
        cooperating_units=tuple(cooperating),
        unit_links=tuple(
            UnitLink(link.role, link.name, link.written_name, link.group_id is not None)
            for link in task.unit_links.all()
        ),
        state=state,
        charts=tuple(indicator_charts(task, state, as_of)) if state else (),
    )


def _url(plan: Plan, task: Task) -> str:
    task.plan = plan  # a task of the same plan: spares a query for its slug
    return task.get_absolute_url()


_BLOCKS = {
    "events": TaskEvent,
    "extensions": ExtensionApplication,
    "closures": ClosureApplication,
    "proposals": NodeProposal,
    "instructions": Instruction,
}
_blocks_sql: dict[str, str] = {}


def _blocks_query(using: str) -> str:
    """SELECT EXISTS(… task = %s), … in _BLOCKS' order, written once per database from the
    models' fields: the ORM built its five Exists again on every request, 2.2 ms of CPU
    against 0.13 ms (benchmarks/request_costs.py, 2026-12-01)."""
    if using not in _blocks_sql:
        quote = connections[using].ops.quote_name
        _blocks_sql[using] = "SELECT " + ", ".join(
            f"EXISTS(SELECT 1 FROM {quote(m._meta.db_table)} "
            f"WHERE {quote(m._meta.get_field('task').column)} = %s)"
            for m in _BLOCKS.values()
        )
    return _blocks_sql[using]


def blocks_with_rows(task: Task) -> dict[str, bool]:
    """Which of the page's per-request blocks have any rows at all, in one query: a block
    without any (most tasks have no trail, application, proposal or instruction) is not
    asked again, one query for five."""
    using = router.db_for_read(TaskEvent)
    with connections[using].cursor() as cursor:
        cursor.execute(_blocks_query(using), [task.pk] * len(_BLOCKS))
        found = cursor.fetchone()
    return {name: bool(any_rows) for name, any_rows in zip(_BLOCKS, found, strict=True)}
