"""Which tasks a person may read, and what they may do with them.

Scopes: the office and administrators read everything; a leader reads the whole plan (writes
instructions only on tasks he or she leads); unit staff and heads read the tasks where their
department is a lead or cooperating unit, directly or through a unit group it belongs to.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import UNIT_HEAD, person_of

from .models import Task, TaskLeader, TaskUnit


def involving_unit(queryset, department):
    """Tasks where `department` is a lead or cooperating unit, directly or via a group."""
    links = TaskUnit.objects.filter(task=OuterRef("pk")).filter(
        Q(department=department) | Q(group__members=department)
    )
    return queryset.filter(Exists(links))


def tasks_visible_to(user, queryset=None):
    queryset = Task.objects.all() if queryset is None else queryset
    person = person_of(user)
    if person.is_office or person.leader is not None:
        return queryset
    if person.unit is not None:
        return involving_unit(queryset, person.unit)
    return queryset.none()


def can_view_task(user, task: Task) -> bool:
    return tasks_visible_to(user, Task.objects.filter(pk=task.pk)).exists()


def leads_task(user, task: Task) -> bool:
    """Is this person a lead leader (牵头领导) of the task?"""
    leader = person_of(user).leader
    return leader is not None and TaskLeader.objects.filter(task=task, leader=leader).exists()


def unit_role_in(task: Task, department) -> str | None:
    """ "lead" or "cooperating" for the unit's part in the task (lead wins), or None."""
    roles = set(
        TaskUnit.objects.filter(task=task)
        .filter(Q(department=department) | Q(group__members=department))
        .values_list("role", flat=True)
    )
    if TaskUnit.Role.LEAD in roles:
        return TaskUnit.Role.LEAD
    if TaskUnit.Role.COOPERATING in roles:
        return TaskUnit.Role.COOPERATING
    return None


def can_report(user, task: Task, unit) -> bool:
    """Staff and heads write their own unit's report, on tasks where the unit has a part."""
    person = person_of(user)
    if person.unit is None or unit is None or person.unit.pk != unit.pk:
        return False
    return unit_role_in(task, unit) is not None


def can_approve(user, report) -> bool:
    """The head of the reporting unit approves its submissions before they go to the office."""
    person = person_of(user)
    return (
        UNIT_HEAD in person.roles
        and person.unit is not None
        and person.unit.pk == report.department_id
    )


def can_review(user) -> bool:
    """The office accepts or returns submissions."""
    return person_of(user).is_office


def can_edit_indicators(user) -> bool:
    return person_of(user).is_office


def can_import_plans(user) -> bool:
    """Only the office (and administrators) import plans."""
    return person_of(user).is_office
