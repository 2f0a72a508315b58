"""Who must report on which task each period: the basis of 报送率 and 未报送.

Lead units always report. Cooperating units named directly in the plan report their part.
Units that reach a task only through a group (各镇政府（街道办事处） …) may report but are
not chased: otherwise every town would owe a report on 130 tasks a week, and the real gaps
would drown in noise.
"""

from collections import defaultdict

from .models import TaskUnit


def expected_reporters(tasks) -> dict[int, list[tuple[int, str]]]:
    """task id -> [(department id, role)] in document order, for the given task queryset."""
    duties: dict[int, list[tuple[int, str]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    links = (
        TaskUnit.objects.filter(task__in=tasks)
        .select_related("group")
        .prefetch_related("group__members")
        .order_by("task_id", "role", "position")  # "cooperating" < "lead": re-sorted below
    )
    for link in sorted(links, key=lambda u: (u.task_id, u.role != TaskUnit.Role.LEAD, u.position)):
        if link.department_id:
            members = [link.department_id]
        elif link.role == TaskUnit.Role.LEAD:
            # A group as lead unit (rare) makes each member answerable.
            members = [d.pk for d in link.group.members.all()]
        else:
            continue
        for department_id in members:
            if (link.task_id, department_id) not in seen:
                seen.add((link.task_id, department_id))
                duties[link.task_id].append((department_id, link.role))
    return dict(duties)
