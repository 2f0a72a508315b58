"""Who must report on which task each period: the basis of 报送率, 未报送 and 已阅.

Lead units always report. Cooperating units named directly in the plan report their part.
Units that reach a task only through a group (各镇政府（街道办事处） …) may report but are
not chased: otherwise every town would owe a report on 130 tasks a week, and the real gaps
would drown in noise. A group named as lead unit (rare) makes each member answerable.
A closed task (已办结, tasks.closure) owes nothing from the period it was closed in (owes_in).
"""

import datetime
from collections import defaultdict

from django.db.models import F, Q

from departments.models import Department, UnitGroup

from . import revision
from .models import TaskUnit
from .reportable import reportable
from .unit_role import unit_role


def owing_links(department) -> Q:
    """The TaskUnit links that make `department` owe reports on their task (as expected_units):
    it is named directly, or it is a member of a group named as lead unit. For subqueries."""
    return Q(department=department) | Q(role=TaskUnit.Role.LEAD, group__members=department)


def expected_units(tasks) -> dict[int, list[tuple[Department, str]]]:
    """task id -> [(department, role)] in document order. Two queries, whatever the size.

    `tasks` is a task queryset or a list of task ids.
    """
    return _units_and_closures(tasks)[0]


def _units_and_closures(tasks):
    """expected_units, and task id -> closure date of the closed ones among them (read with
    the links: no query of its own)."""
    links = (
        TaskUnit.objects.filter(task__in=tasks)
        .filter(Q(department__isnull=False) | Q(role=TaskUnit.Role.LEAD))
        .select_related("department")
        .annotate(task_closed_on=F("task__closed_on"))
    )
    # Only the members of groups leading one of these tasks: both conditions merely narrow what
    # is read (the loop below looks up only the lead group links of these tasks), so the
    # mutants that drop either survive with the same duties, at the cost of more rows.
    memberships = (
        UnitGroup.members.through.objects.filter(
            unitgroup__task_links__task__in=tasks,
            unitgroup__task_links__role=TaskUnit.Role.LEAD,
        )
        .select_related("department")
        # department_id makes ties of sort_order (0 for every unit the office adds) come in a
        # stable order; SQLite happens to return them in id order anyway, so the mutants that
        # drop it survive there (tests/test_rule_duties.py states the order).
        .order_by("department__sort_order", "department_id")
        .distinct()
    )
    members: dict[int, list[Department]] = defaultdict(list)
    # department id -> the lead groups it belongs to: enough for its role (tasks.unit_role),
    # since a cooperating group alone makes nobody owe a report.
    lead_groups: dict[int, set[int]] = defaultdict(set)
    for membership in memberships:
        members[membership.unitgroup_id].append(membership.department)
        lead_groups[membership.department_id].add(membership.unitgroup_id)
    links_of: dict[int, list[TaskUnit]] = defaultdict(list)
    closed: dict[int, datetime.date] = {}
    for link in links:
        links_of[link.task_id].append(link)
        if link.task_closed_on is not None:
            closed[link.task_id] = link.task_closed_on
    duties: dict[int, list[tuple[Department, str]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for link in sorted(links, key=lambda u: (u.task_id, u.role != TaskUnit.Role.LEAD, u.position)):
        found = [link.department] if link.department_id else members.get(link.group_id, [])
        for department in found:
            if (link.task_id, department.pk) not in seen:
                seen.add((link.task_id, department.pk))
                role = unit_role(links_of[link.task_id], department.pk, lead_groups[department.pk])
                duties[link.task_id].append((department, role))
    return dict(duties), closed


def expected_reporters(tasks) -> dict[int, list[tuple[int, str]]]:
    """task id -> [(department id, role)] in document order (see expected_units)."""
    return {
        task_id: [(department.pk, role) for department, role in units]
        for task_id, units in expected_units(tasks).items()
    }


def owes_in(closed_on: datetime.date | None, period) -> bool:
    """Does a task owe reports for `period`? Open tasks do; a closed one (已办结,
    tasks.closure) only for periods that ended before its closure day — not for the period it
    was closed in, nor any later; without a period (now), not at all."""
    if closed_on is None:
        return True
    return period is not None and period.end < closed_on


def plan_duties(plan, period=None) -> dict[int, list[tuple[int, str]]]:
    """expected_reporters of every task of the plan that owes reports for `period` (now, when
    None: see owes_in), remembered until the plan's data changes. Callers must not change it."""
    # "duties" only keeps this memo apart from the others (tasks.revision.memo): any other name
    # no one else uses would do, so the mutants that change it survive and change nothing.
    # Headings and tasks nobody is named for owe nothing (tasks.reportable).
    duties, closed = _memo(plan)
    if not closed:
        return duties
    return {
        task_id: units for task_id, units in duties.items() if owes_in(closed.get(task_id), period)
    }


def plan_units(plan) -> dict[int, list[tuple[int, str]]]:
    """expected_reporters of every task of the plan, closed or not: who answers for a task
    (e.g. which units led the tasks closed in a month), not who owes a report now."""
    return _memo(plan)[0]


def _memo(plan):
    return revision.memo(
        "duties", (plan.pk,), lambda: _plan_duties(reportable(plan.tasks.all())), plan=plan
    )


def _plan_duties(tasks):
    units, closed = _units_and_closures(tasks)
    reporters = {
        task_id: [(department.pk, role) for department, role in found]
        for task_id, found in units.items()
    }
    return reporters, closed
