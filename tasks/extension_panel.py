"""The task page's 完成时限 and 延期申请 block (templates/tasks/_extension.html): one function,
called by one line of tasks.views.task_detail.

Queries: the task's applications (with unit, node, applicant); the person's part in the task
(when he or she belongs to a unit); the task's nodes (only for a unit that may apply); whether
the person leads the task (only while an application waits for the leader).
"""

from . import extensions
from .access import UNREAD
from .deadlines import current_date
from .extension_forms import ApplyForm
from .models import ExtensionApplication, TaskNode


def extension_panel(user, task, *, any_applications: bool = True, unit_role=UNREAD) -> dict:
    """`any_applications=False`: the task has none (tasks.task_page.blocks_with_rows);
    `unit_role`: the person's unit's part in the task, read already (tasks.access.task_reading)."""
    applications = (
        list(
            ExtensionApplication.objects.filter(task=task)
            .select_related("unit", "node", "applicant")
            .order_by("-applied_at", "-pk")
        )
        if any_applications
        else []
    )
    pending = next((a for a in applications if a.is_pending), None)
    if pending is not None:
        pending.task = task  # may_decide reads it; spares a query
    can_apply = (
        task.closed_on is None
        and pending is None
        and extensions.applying_unit(user, task, role=unit_role) is not None
    )
    form = None
    if can_apply:
        form = ApplyForm(nodes=list(TaskNode.objects.filter(task=task).order_by("due", "pk")))
    return {
        "deadline": task.deadline,
        "extended_deadline": task.extended_deadline,
        "in_force": current_date(task.plan.year, task.deadline, task.extended_deadline),
        "applications": applications,
        "approved_count": sum(1 for a in applications if a.state == a.State.APPROVED),
        "pending": pending,
        "may_decide": pending is not None and extensions.may_decide(user, pending),
        "can_apply": can_apply,
        "form": form,
    }
