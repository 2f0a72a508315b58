"""The state of each task at an as-of date, read from the reports (never stored, so never stale).

A task's state comes from its lead units' reports that count (submitted, approved or accepted)
for periods that began by the as-of date: the latest of them gives the completion, the
indicators take their latest actual values, and tasks/status.py turns those numbers into a
status light. The queries are fixed in number, whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery

from .indicators import completion_percent
from .models import Indicator, IndicatorValue, Plan, ProgressReport, Task, TaskUnit
from .periods import Period, parse_period_key, period_containing
from .status import Status, Thresholds, effective_completion, evaluate, expected_progress

COUNTED = [
    ProgressReport.State.SUBMITTED,
    ProgressReport.State.APPROVED,
    ProgressReport.State.ACCEPTED,
]


@dataclass
class IndicatorState:
    indicator: Indicator
    actual: object | None  # Decimal
    completion: float | None


@dataclass
class TaskState:
    task_id: int
    status: Status
    expected: float
    completion: float | None
    latest: ProgressReport | None
    periods_since_report: int | None
    indicators: list[IndicatorState] = field(default_factory=list)

    @property
    def light(self) -> str:
        return self.status.light


def thresholds() -> Thresholds:
    return Thresholds(
        yellow_points=settings.STATUS_YELLOW_POINTS,
        red_points=settings.STATUS_RED_POINTS,
        silent_periods=settings.STATUS_SILENT_PERIODS,
    )


def task_span(plan: Plan, task: Task) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(plan.year, 1, 1)
    end = task.deadline or datetime.date(plan.year, 12, 31)
    return start, max(start, end)


def periods_after(earlier: Period, later: Period) -> int:
    """How many periods `later` comes after `earlier` (0 when the same)."""
    count, cursor = 0, earlier
    while cursor < later:
        cursor = cursor.next()
        count += 1
    return count


def _lead_reports_before(as_of: datetime.date):
    return ProgressReport.objects.filter(
        role=TaskUnit.Role.LEAD, state__in=COUNTED, period_start__lte=as_of
    )


def task_states(plan: Plan, as_of: datetime.date, tasks=None) -> dict[int, TaskState]:
    """States of the plan's tasks (or of `tasks`, a queryset of them) at `as_of`.

    Queries: tasks with their latest lead report id; those reports; indicators with their
    latest actual values.
    """
    tasks = plan.tasks.all() if tasks is None else tasks
    latest_id = Subquery(
        _lead_reports_before(as_of)
        .filter(task=OuterRef("pk"))
        .order_by("-period_start", "-submitted_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        tasks.annotate(latest_report_id=latest_id).values("pk", "deadline", "latest_report_id")
    )
    report_ids = [r["latest_report_id"] for r in rows if r["latest_report_id"]]
    reports = {r.pk: r for r in ProgressReport.objects.filter(pk__in=report_ids)}
    latest_value = Subquery(
        IndicatorValue.objects.filter(
            indicator=OuterRef("pk"),
            report__state__in=COUNTED,
            report__role=TaskUnit.Role.LEAD,
            report__period_start__lte=as_of,
        )
        .order_by("-report__period_start", "-report__pk")
        .values("actual")[:1]
    )
    indicators: dict[int, list[IndicatorState]] = {}
    for indicator in Indicator.objects.filter(task__in=[r["pk"] for r in rows]).annotate(
        latest_actual=latest_value
    ):
        indicators.setdefault(indicator.task_id, []).append(
            IndicatorState(
                indicator=indicator,
                actual=indicator.latest_actual,
                completion=completion_percent(
                    indicator.comparator, indicator.target, indicator.latest_actual
                ),
            )
        )
    now_period = period_containing(as_of, plan.cycle)
    limits = thresholds()
    year_start = datetime.date(plan.year, 1, 1)
    periods_elapsed = periods_after(period_containing(year_start, plan.cycle), now_period) + 1
    states = {}
    for row in rows:
        start = year_start
        end = row["deadline"] or datetime.date(plan.year, 12, 31)
        latest = reports.get(row["latest_report_id"])
        since = None
        if latest is not None:
            since = periods_after(parse_period_key(latest.period_key), now_period)
        task_indicators = indicators.get(row["pk"], [])
        completion = effective_completion(
            None if latest is None or latest.percent is None else float(latest.percent),
            [i.completion for i in task_indicators if i.completion is not None],
        )
        status = evaluate(
            as_of=as_of,
            start=start,
            end=max(start, end),
            completion=completion,
            accepted_done=bool(
                latest is not None
                and latest.state == ProgressReport.State.ACCEPTED
                and latest.percent is not None
                and latest.percent >= 100
            ),
            periods_since_last_report=since,
            periods_elapsed=periods_elapsed,
            thresholds=limits,
        )
        states[row["pk"]] = TaskState(
            task_id=row["pk"],
            status=status,
            expected=expected_progress(as_of, start, max(start, end)),
            completion=completion,
            latest=latest,
            periods_since_report=since,
            indicators=task_indicators,
        )
    return states
