"""What a report is read beside: the unit's part in the task, what 完成进度 means for it,
last period's report and the 序时进度 of the period (the form and the 审核 page show these)."""

from .access import reports_visible_to, unit_role_in
from .deadlines import effective_deadline
from .models import ProgressReport, Task, TaskUnit
from .periods import parse_period_key
from .progress import expected_at_day
from .reporting import as_of_date
from .status import task_span

LEAD_RULE = (
    "完成进度填写本任务的总体完成百分比：牵头单位填写的数值就是任务的完成进度，"
    "与序时进度比较决定红黄绿灯。指标完成值另行填写和显示，不折算为完成进度。"
)
COOPERATING_RULE = (
    "您是配合单位：完成进度填写本单位承担部分的完成百分比，供牵头单位参考；"
    "任务的完成进度和红黄绿灯以牵头单位填报的为准。"
)


def expected_at(task: Task, period) -> float:
    """序时进度 of the task at the end of the period (or today, if that comes first): off
    its node plan when it has one (tasks.progress.expected_at_day), else the straight line."""
    as_of = min(period.end, as_of_date(task.plan))
    start, end = task_span(
        task.plan.year, effective_deadline(task.deadline, task.extended_deadline)
    )
    nodes = [(n.extended_due or n.due, float(n.expected_percent)) for n in task.nodes.all()]
    return expected_at_day(as_of, start, end, nodes)


def previous_report(user, task: Task, department, period) -> ProgressReport | None:
    """The department's latest report on the task before the period, if this person reads it."""
    earlier = ProgressReport.objects.filter(
        task=task, department=department, period_start__lt=period.start
    )
    return (
        reports_visible_to(user, earlier)
        .order_by("-period_start")
        .prefetch_related("values__indicator", "attachments")
        .first()
    )


def completion_context(task: Task, unit, period) -> dict:
    role = unit_role_in(task, unit)
    lead = role == TaskUnit.Role.LEAD
    previous = (
        ProgressReport.objects.filter(task=task, department=unit, period_start__lt=period.start)
        .order_by("-period_start")
        .only("percent", "period_key", "period_start", "period_end")
        .first()
    )
    return {
        "unit_role": role,
        "is_lead": lead,
        "completion_rule": LEAD_RULE if lead else COOPERATING_RULE,
        "previous_percent": previous.percent if previous else None,
        "previous_label": parse_period_key(previous.period_key).short_label if previous else "",
        "expected": expected_at(task, period),
    }
