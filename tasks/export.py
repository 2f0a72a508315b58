"""A plan as plain records in document order: the shape of export_plan and the fixture check."""

from django.db.models import Prefetch

from .models import Plan, Task, TaskLeader, TaskUnit


def tasks_with_responsibilities(plan: Plan):
    """Tasks of a plan with section, leaders and units loaded in four queries."""
    return (
        Task.objects.filter(plan=plan)
        .select_related("section", "plan")
        .prefetch_related(
            Prefetch(
                "leader_links",
                queryset=TaskLeader.objects.select_related("leader").order_by("position"),
            ),
            Prefetch(
                "unit_links",
                queryset=TaskUnit.objects.select_related("department", "group").order_by(
                    "position"
                ),
            ),
        )
        .order_by("sort_order")
    )


def responsibility_names(task: Task) -> tuple[list[str], list[str], list[str]]:
    """(lead leaders, lead units, cooperating units) in document order, from prefetched links."""
    leaders = [link.leader.name for link in task.leader_links.all()]
    lead = [u.name for u in task.unit_links.all() if u.role == TaskUnit.Role.LEAD]
    cooperating = [u.name for u in task.unit_links.all() if u.role == TaskUnit.Role.COOPERATING]
    return leaders, lead, cooperating


def plan_records(plan: Plan) -> list[dict]:
    records = []
    for task in tasks_with_responsibilities(plan):
        leaders, lead, cooperating = responsibility_names(task)
        records.append(
            {
                "number": task.number,
                "section": f"{task.section.number}、{task.section.title}",
                "title": task.title,
                "text": task.text,
                "lead_leaders": leaders,
                "lead_units": lead,
                "cooperating_units": cooperating,
            }
        )
    return records
