"""Which tasks somebody reports on: the one rule every count, list, workbook and job asks.

A task is reportable when at least one unit (a department or a unit group) is responsible for
it and it is not a heading over sub-tasks: task 6 of the 2022 plan heads 6(1) and 6(2) and
names nobody, so nobody can report on it, and it is never counted, chased or shown red.
"""

from django.db.models import Exists, OuterRef

from . import revision
from .models import Task, TaskUnit


def is_reportable(*, units: int, children: int) -> bool:
    """The rule itself: somebody is responsible, and the task is not a heading."""
    return units > 0 and children == 0


def reportable(tasks):
    """The reportable tasks of a task queryset (one query, whatever its size)."""
    return tasks.filter(Exists(TaskUnit.objects.filter(task=OuterRef("pk")))).exclude(
        Exists(Task.objects.filter(parent=OuterRef("pk")))
    )


def plan_reportable_ids(plan) -> frozenset[int]:
    """The ids of the plan's reportable tasks, remembered until its data changes."""
    return revision.memo(
        "reportable",
        (plan.pk,),
        lambda: frozenset(reportable(plan.tasks.all()).values_list("pk", flat=True)),
        plan=plan,
    )
