"""The task page's 办结 block (templates/tasks/_closure.html): its data, in one function."""

from django.db.models import Prefetch

from accounts.roles import person_of

from . import closure
from .access import UNREAD
from .forms import ClosureForm
from .models import ClosureEvidence, Task


def panel(user, task: Task, *, any_applications: bool = True, unit_role=UNREAD) -> dict:
    """The task page's 办结 block (templates/tasks/_closure.html): the applications with their
    files and what this person may do. One query (two when the task has applications, none
    with `any_applications=False`: tasks.task_page.blocks_with_rows), one more for a unit
    account (does its unit lead the task?) unless `unit_role` is given (its part in the task:
    tasks.access.task_reading)."""
    applications = (
        list(
            task.closure_applications.select_related("department", "applicant", "decided_by")
            .prefetch_related(Prefetch("files", queryset=ClosureEvidence.objects.order_by("pk")))
            .order_by("-applied_at", "-pk")[:10]
        )
        if any_applications
        else []
    )
    pending = next((a for a in applications if a.is_pending), None)
    person = person_of(user)
    may_apply = (
        person.unit is not None
        and pending is None
        and not closure.is_closed(task)
        and closure.can_apply(user, task, role=unit_role)
    )
    return {
        "applications": applications,
        "pending": pending,
        "can_apply": may_apply,
        "can_decide": pending is not None
        and (person.is_office or person.leader is not None)
        and closure.can_decide(user, pending),
        "can_reopen": closure.is_closed(task) and closure.can_reopen(user),
        "form": ClosureForm() if may_apply else None,
    }
