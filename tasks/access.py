"""Which tasks a person may read, and what they may do with them.

Scopes: the office and administrators read everything; a leader reads the whole plan (writes
instructions only on tasks he or she leads); unit staff and heads read the tasks where their
department is a lead or cooperating unit, directly or through a unit group it belongs to.

Reports and their evidence files: `reports_visible_to` is the one rule, and every page, list,
export and download that shows a report or serves one of its files asks it (the task page's
SQL, tasks.timeline_sql, asks `readable_reports`, the part of it that picks among a readable
task's reports). A report is read by whoever may read its task once it has been handed in
(submitted, approved, accepted, or returned after that); a draft only by its own unit's staff
and head.

The task page asks `task_reading` once (may the person read the task, and the unit's part in
it) and hands the part on to the blocks (`role=`). unit_role_in and leads_task run SQL
written once per database from the models' fields (_sql), as reports/dashboard_queries.py.
"""

from typing import NamedTuple

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from accounts.roles import approving_unit, person_of

# The office's permissions on tasks and reports, defined once in accounts.roles and asked here
# too (re-exported: task pages ask tasks.access).
from accounts.roles import can_edit_indicators as can_edit_indicators
from accounts.roles import can_edit_nodes as can_edit_nodes
from accounts.roles import can_import_plans as can_import_plans
from accounts.roles import can_review as can_review
from departments.models import Department, UnitGroup

from .models import Attachment, ProgressReport, Task, TaskLeader, TaskUnit
from .unit_role import LEAD, unit_role

_sql: dict[tuple[str, str], str] = {}  # SQL written once per database (name, alias)


def involving_unit(queryset, department):
    """Tasks where `department` is a lead or cooperating unit, directly or via a group."""
    links = TaskUnit.objects.filter(task=OuterRef("pk")).filter(
        Q(department=department) | Q(group__members=department)
    )
    return queryset.filter(Exists(links))


def _reads_every_task(person) -> bool:
    return person.is_office or person.leader is not None


def scope_of(user) -> tuple[bool, int | None]:
    """What this person's reading of tasks and reports depends on (tasks_visible_to,
    reports_visible_to): whether every task is in scope, and the unit. Two people with the same
    scope read the same rows, so a figure kept for one serves the other."""
    person = person_of(user)
    return _reads_every_task(person), None if person.unit is None else person.unit.pk


def tasks_visible_to(user, queryset=None):
    queryset = Task.objects.all() if queryset is None else queryset
    person = person_of(user)
    if _reads_every_task(person):
        return queryset
    if person.unit is not None:
        return involving_unit(queryset, person.unit)
    return queryset.none()


class TaskReading(NamedTuple):
    may_read: bool  # tasks_visible_to, for one task
    unit_role: str | None  # the person's unit's part in the task (unit_role_in), else None


def task_reading(user, task_id: int) -> TaskReading:
    """May this person read the task, and what is his or her unit's part in it, for a task's
    page: no query for the office and leaders without a unit, one for a unit account (whose
    unit reads exactly the tasks it has a part in, as tasks_visible_to says), asked once
    instead of five times (whether it may read the task, then its part for 填报, 延期, 办结 and
    节点: 22.0 -> 17.7 ms CPU for fgj's task 127, benchmarks/request_costs.py, 2026-12-01).
    The blocks take `unit_role` as `role=`."""
    person = person_of(user)
    role = None if person.unit is None else unit_role_in(task_id, person.unit)
    return TaskReading(_reads_every_task(person) or role is not None, role)


def reports_visible_to(user, queryset=None, *, task_ids=None):
    """The reports this person may read: of a task in scope, and handed in or the unit's own.

    The one rule for reports in every state; attachments follow their report. Adds conditions
    to the query only (no query of its own), so lists keep their query counts. `task_ids`:
    the ids of the tasks in the person's scope (tasks_visible_to) when the caller has read
    them already, for a simpler query (我的任务's reports: 1.06 ms CPU instead of 1.5).
    """
    queryset = ProgressReport.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    states, own_unit = readable_reports(user)
    readable = Q(state__in=states)
    if own_unit is not None:
        readable |= Q(department_id=own_unit)
    queryset = queryset.filter(readable)
    if _reads_every_task(person_of(user)):
        return queryset  # the whole plan is in their scope
    if task_ids is not None:
        return queryset.filter(task_id__in=task_ids)
    return queryset.filter(task__in=tasks_visible_to(user))


def readable_reports(user) -> tuple[frozenset[str], int | None]:
    """Which reports of a task in scope this person reads: those in these states (handed in),
    and every report of this unit (its drafts too; None: no unit). reports_visible_to's rule;
    the task page's SQL (tasks.timeline_sql) asks it too."""
    unit = person_of(user).unit
    return ProgressReport.State.SHARED, None if unit is None else unit.pk


def can_read_report(user, report: ProgressReport) -> bool:
    return reports_visible_to(user, ProgressReport.objects.filter(pk=report.pk)).exists()


def attachments_visible_to(user, queryset=None):
    """Evidence files are read exactly when their report is."""
    queryset = Attachment.objects.all() if queryset is None else queryset
    return queryset.filter(report__in=reports_visible_to(user))


def leads_task(user, task: Task) -> bool:
    """Is this person a lead leader (牵头领导) of the task? In SQL written once per database
    (_sql): the ORM built the query on every call, 0.36 -> 0.07 ms of CPU (a leader's task
    page, benchmarks/request_costs.py, 2026-12-01)."""
    leader = person_of(user).leader
    if leader is None:
        return False
    using = router.db_for_read(TaskLeader)
    key = ("leads", using)
    if key not in _sql:
        q, field = connections[using].ops.quote_name, TaskLeader._meta.get_field
        _sql[key] = (
            f"SELECT 1 FROM {q(TaskLeader._meta.db_table)} WHERE {q(field('task').column)} = %s "
            f"AND {q(field('leader').column)} = %s"
        )
    with connections[using].cursor() as cursor:
        cursor.execute(_sql[key], [task.pk, leader.pk])
        return cursor.fetchone() is not None


def _links_sql(using: str) -> str:
    """A task's links naming the unit, directly or through a group it belongs to (params:
    task, unit, unit), written once per database from the models' fields: the ORM built the
    query with its OR and joins on every call, 1.14 ms of CPU against 0.15 (the task page for
    fgj, benchmarks/request_costs.py, 2026-12-01)."""
    key = ("links", using)
    if key not in _sql:
        q, field = connections[using].ops.quote_name, TaskUnit._meta.get_field
        members = UnitGroup.members.through
        group_of, member = (
            next(f for f in members._meta.fields if f.related_model is model)
            for model in (UnitGroup, Department)
        )
        columns = ", ".join(f"l.{q(field(n).column)}" for n in ("role", "department", "group"))
        _sql[key] = (
            f"SELECT {columns} FROM {q(TaskUnit._meta.db_table)} l "
            f"LEFT OUTER JOIN {q(members._meta.db_table)} m "
            f"ON m.{q(group_of.column)} = l.{q(field('group').column)} "
            f"WHERE l.{q(field('task').column)} = %s AND (l.{q(field('department').column)} = %s "
            f"OR m.{q(member.column)} = %s)"
        )
    return _sql[key]


def unit_role_in(task: Task | int, department) -> str | None:
    """ "lead" or "cooperating" for the unit's part in the task (tasks.unit_role), or None."""
    using = router.db_for_read(TaskUnit)
    task_id = task if isinstance(task, int) else task.pk
    with connections[using].cursor() as cursor:
        cursor.execute(_links_sql(using), [task_id, department.pk, department.pk])
        links = [_Link(*row) for row in cursor.fetchall()]
    # Every group link read here has the unit among its members (the query says so).
    return unit_role(links, department.pk, {link.group_id for link in links if link.group_id})


class _Link(NamedTuple):
    role: str
    department_id: int | None
    group_id: int | None


# `role=` of the functions below: the unit's part in the task not read yet (they read it).
UNREAD = object()


def can_report(user, task: Task, unit, *, role=UNREAD) -> bool:
    """Staff and heads write their own unit's report, on tasks where the unit has a part,
    while the task is open: a closed task (已办结, tasks.closure) takes no more reports.
    `role`: the part of the person's unit, if read already (task_reading)."""
    if task.closed_on is not None:
        return False
    person = person_of(user)
    if person.unit is None or unit is None or person.unit.pk != unit.pk:
        return False
    return (unit_role_in(task, unit) if role is UNREAD else role) is not None


def can_approve(user, report) -> bool:
    """The head of the reporting unit approves its submissions before they go to the office."""
    unit = approving_unit(user)
    return unit is not None and unit.pk == report.department_id


def leading_unit(user, task: Task, *, role=UNREAD):
    """The person's unit when it is a lead unit of the task, else None: its staff and heads
    apply for an extension (tasks.extensions) or closure (tasks.closure) and propose the
    node plan. `role`: the unit's part, if read already (task_reading)."""
    unit = person_of(user).unit
    if unit is None or (unit_role_in(task, unit) if role is UNREAD else role) != LEAD:
        return None
    return unit


def can_propose_nodes(user, task: Task, *, role=UNREAD) -> bool:
    """Staff and heads of a task's lead unit propose its node plan (the office decides)."""
    return leading_unit(user, task, role=role) is not None
