"""What a task page shows over time: the reports of every unit and the indicator charts."""

import datetime

from django.utils.safestring import mark_safe

from common.charts import line_chart

from .access import reports_visible_to
from .deadlines import effective_deadline
from .models import ProgressReport, Task, TaskUnit
from .periods import parse_period_key
from .progress import TaskState, counted_lead_values, expected_at_day


def timeline_for(task: Task, *, user, as_of: datetime.date) -> list[ProgressReport]:
    """The reports up to `as_of` that `user` may read (tasks.access), newest first."""
    return list(
        reports_visible_to(user, task.reports.filter(period_start__lte=as_of))
        .select_related("department")
        .prefetch_related("attachments", "values__indicator")
        .order_by("-period_start", "role", "department__sort_order")
    )


def _week_label(key: str) -> str:
    period = parse_period_key(key)
    return f"第{period.index}周" if period.cycle == "weekly" else f"{period.index}月"


def indicator_charts(task: Task, state: TaskState, as_of: datetime.date) -> list[str]:
    """SVG charts: completion against 序时进度, then each indicator against its target."""
    reports = list(
        task.reports.filter(
            role=TaskUnit.Role.LEAD, state__in=ProgressReport.State.COUNTED, period_start__lte=as_of
        )
        .order_by("period_start", "submitted_at")
        .values("period_key", "period_end", "percent")
    )
    charts = []
    if reports:
        by_period = {}
        for r in reports:
            by_period[r["period_key"]] = r  # the latest lead report of the period wins
        keys = list(by_period)
        start = datetime.date(task.plan.year, 1, 1)
        end = effective_deadline(task.deadline, task.extended_deadline) or datetime.date(
            task.plan.year, 12, 31
        )
        plan = [(n.day, n.percent) for n in state.nodes]
        ends = [by_period[k]["period_end"] for k in keys]
        markers = []
        for row in state.nodes:
            # On the first reported period ending on or after the node's date.
            index = next((i for i, e in enumerate(ends) if e >= row.day), None)
            if index is not None:
                label = f"{row.day.month}月{row.day.day}日 {row.description} {row.percent:g}%"
                markers.append((index, row.percent, row.outcome.value, label))
        charts.append(
            line_chart(
                [
                    ("完成进度", [(_week_label(k), _num(by_period[k]["percent"])) for k in keys]),
                    (
                        "序时进度",
                        [
                            (
                                _week_label(k),
                                expected_at_day(
                                    min(by_period[k]["period_end"], end), start, end, plan
                                ),
                            )
                            for k in keys
                        ],
                    ),
                ],
                title=f"任务 {task.number} 完成进度与序时进度",
                unit="%",
                y_max=100,
                markers=markers,
            )
        )
    values = list(
        counted_lead_values(as_of)
        .filter(indicator__task=task)
        .order_by("report__period_start", "report__pk")
        .values("indicator_id", "report__period_key", "actual")
    )
    for item in state.indicators:
        indicator = item.indicator
        points = {}
        for v in values:
            if v["indicator_id"] == indicator.pk:
                points[v["report__period_key"]] = float(v["actual"])
        if not points:
            continue
        charts.append(
            line_chart(
                [(f"{indicator.name}完成值", [(_week_label(k), p) for k, p in points.items()])],
                # Short enough to be shown whole beside the unit caption at 390 px.
                title=f"{indicator.name}（目标{indicator.get_comparator_display()}"
                f"{indicator.target_display}{indicator.unit}）",
                unit=indicator.unit,
                target=float(indicator.target),
            )
        )
    return [mark_safe(svg) for svg in charts]


def _num(value):
    return None if value is None else float(value)
