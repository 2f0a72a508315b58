"""The state of each task at an as-of date, read from the reports (never stored, so never stale).

A task's state comes from its lead units' reports that count (submitted, approved or accepted)
for periods that began by the as-of date: the latest of them gives the completion (the percent
the unit typed) and tasks/status.py turns it into a status light. The indicators take their
latest actual values and carry their own 完成率, shown apart; they do not move the light. The queries are fixed in number, whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import revision
from .deadlines import effective_deadline
from .indicator_completion import completion_percent
from .models import Indicator, IndicatorValue, Plan, ProgressReport, TaskNode, TaskUnit
from .periods import Period, as_of_for_plan, parse_period_key, period_containing
from .reportable import reportable
from .state_rows import REPORT_FIELDS, IndicatorRow, LatestReport
from .status import (
    NodeOutcome,
    Status,
    Thresholds,
    closed_by,
    effective_completion,
    evaluate,
    expected_from_nodes,
    expected_progress,
    node_outcome,
    status_label,
    task_span,
)


@dataclass
class IndicatorState:
    indicator: IndicatorRow
    actual: object | None  # Decimal
    completion: float | None


@dataclass(frozen=True)
class NodeState:
    """A node of the task's node plan, judged at the as-of date (tasks.status.node_outcome)."""

    due: datetime.date
    extended_due: datetime.date | None
    day: datetime.date  # effective date: extended_due or due
    description: str
    percent: float
    reached: float | None  # the counted completion by `day`
    outcome: NodeOutcome = NodeOutcome.PENDING


@dataclass
class TaskState:
    task_id: int
    status: Status
    expected: float
    completion: float | None
    latest: LatestReport | None
    periods_since_report: int | None
    indicators: list[IndicatorState] = field(default_factory=list)
    nodes: tuple[NodeState, ...] = ()  # the node plan, each node judged (empty: none)
    closed_on: datetime.date | None = None  # 办结日期, when closed by the as-of date

    @property
    def light(self) -> str:
        return self.status.light

    @property
    def missed_nodes(self) -> list[NodeState]:
        return [n for n in self.nodes if n.outcome == NodeOutcome.MISSED]

    @property
    def last_node(self) -> NodeState | None:
        """The latest node whose date has come (met or missed)."""
        done = [n for n in self.nodes if n.outcome in (NodeOutcome.MET, NodeOutcome.MISSED)]
        return done[-1] if done else None

    @property
    def next_node(self) -> NodeState | None:
        """The first node whose date is still to come."""
        ahead = (NodeOutcome.PENDING, NodeOutcome.AHEAD)
        return next((n for n in self.nodes if n.outcome in ahead), None)

    @property
    def label(self) -> str:
        """The status as shown: 已办结 carries its date (已办结 2022-12-27)."""
        return status_label(self.status, self.closed_on)


def thresholds() -> Thresholds:
    return Thresholds(
        yellow_points=settings.STATUS_YELLOW_POINTS,
        red_points=settings.STATUS_RED_POINTS,
        silent_periods=settings.STATUS_SILENT_PERIODS,
    )


def periods_after(earlier: Period, later: Period) -> int:
    """How many periods `later` comes after `earlier` (0 when the same)."""
    count, cursor = 0, earlier
    while cursor < later:
        cursor = cursor.next()
        count += 1
    return count


def counted_lead_values(up_to: datetime.date):
    """Indicator values reported by lead units in reports that count, up to a date."""
    return IndicatorValue.objects.filter(
        report__role=TaskUnit.Role.LEAD,
        report__state__in=ProgressReport.State.COUNTED,
        report__period_start__lte=up_to,
    )


def _lead_reports_before(as_of: datetime.date):
    return ProgressReport.objects.filter(
        role=TaskUnit.Role.LEAD,
        state__in=ProgressReport.State.COUNTED,
        period_start__lte=as_of,
    )


def node_plans(tasks) -> dict[int, list[NodeState]]:
    """Each task's node plan, in one query: every node with the lead unit's counted completion
    by its effective date (``extended_due or due``, an approved node extension moves it).
    Tasks without nodes are absent: their 序时进度 is the straight line."""
    reached = Subquery(
        ProgressReport.objects.filter(
            task=OuterRef("task_id"),
            role=TaskUnit.Role.LEAD,
            state__in=ProgressReport.State.COUNTED,
            period_start__lte=Coalesce(OuterRef("extended_due"), OuterRef("due")),
        )
        .order_by("-period_start", "-submitted_at", "-pk")
        .values("percent")[:1]
    )
    plans: dict[int, list[NodeState]] = {}
    rows = (
        TaskNode.objects.filter(task__in=tasks)
        .annotate(reached=reached)
        .order_by("task_id", "due", "pk")
        .values_list("task_id", "due", "extended_due", "description", "expected_percent", "reached")
    )
    for task_id, due, extended_due, description, percent, got in rows:
        plans.setdefault(task_id, []).append(
            NodeState(
                due=due,
                extended_due=extended_due,
                day=extended_due or due,
                description=description,
                percent=float(percent),
                reached=None if got is None else float(got),
            )
        )
    for nodes in plans.values():
        nodes.sort(key=lambda n: n.day)
    return plans


def judged(nodes: list[NodeState], as_of: datetime.date, current: float | None):
    """The nodes with their outcome at ``as_of`` (``current``: the completion then)."""
    return tuple(
        replace(
            n,
            outcome=node_outcome(
                as_of=as_of, due=n.day, percent=n.percent, reached=n.reached, current=current
            ),
        )
        for n in nodes
    )


def expected_at_day(as_of, start, end, nodes) -> float:
    """序时进度: off the node plan (NodeStates or (date, percent) pairs) when the task has
    one, else the straight line."""
    if nodes:
        pairs = [(n.day, n.percent) if isinstance(n, NodeState) else n for n in nodes]
        return expected_from_nodes(as_of, start, pairs)
    return expected_progress(as_of, start, end)


def task_states(plan: Plan, as_of: datetime.date, tasks=None) -> dict[int, TaskState]:
    """States of the plan's reportable tasks (or of `tasks`, a queryset of them) at `as_of`.

    Headings and tasks nobody is named for have no state (tasks.reportable): they are never
    counted, listed as lagging or shown red.

    Queries: tasks with their latest lead report id; those reports; indicators with their
    latest actual values; the node plans.
    """
    tasks = reportable(plan.tasks.all() if tasks is None else tasks)
    latest_id = Subquery(
        _lead_reports_before(as_of)
        .filter(task=OuterRef("pk"))
        .order_by("-period_start", "-submitted_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        tasks.annotate(latest_report_id=latest_id).values(
            "pk", "deadline", "extended_deadline", "closed_on", "latest_report_id"
        )
    )
    report_ids = [r["latest_report_id"] for r in rows if r["latest_report_id"]]
    reports = {
        r[0]: LatestReport(*r)
        for r in ProgressReport.objects.filter(pk__in=report_ids).values_list(*REPORT_FIELDS)
    }
    latest_value = Subquery(
        counted_lead_values(as_of)
        .filter(indicator=OuterRef("pk"))
        .order_by("-report__period_start", "-report__pk")
        .values("actual")[:1]
    )
    indicators: dict[int, list[IndicatorState]] = {}
    for indicator in Indicator.objects.filter(task__in=[r["pk"] for r in rows]).annotate(
        latest_actual=latest_value
    ):
        indicators.setdefault(indicator.task_id, []).append(
            IndicatorState(
                indicator=IndicatorRow.of(indicator),
                actual=indicator.latest_actual,
                completion=completion_percent(
                    indicator.comparator, indicator.target, indicator.latest_actual
                ),
            )
        )
    nodes = node_plans(tasks)
    now_period = period_containing(as_of, plan.cycle)
    limits = thresholds()
    year_start = datetime.date(plan.year, 1, 1)
    year_end = datetime.date(plan.year, 12, 31)
    periods_elapsed = periods_after(period_containing(year_start, plan.cycle), now_period) + 1
    states = {}
    for row in rows:
        # Judged on the approved extension, else on the original (a pending one changes nothing).
        start, end = task_span(
            plan.year, effective_deadline(row["deadline"], row["extended_deadline"])
        )
        latest = reports.get(row["latest_report_id"])
        since = None
        if latest is not None:
            since = periods_after(parse_period_key(latest.period_key), now_period)
        task_indicators = indicators.get(row["pk"], [])
        completion = effective_completion(
            None if latest is None or latest.percent is None else float(latest.percent)
        )
        expected = expected_at_day(as_of, start, end, nodes.get(row["pk"]))
        closed = closed_by(row["closed_on"], as_of, year_end)
        status = evaluate(
            as_of=as_of,
            start=start,
            end=end,
            expected=expected,
            completion=completion,
            closed=closed,
            periods_since_last_report=since,
            periods_elapsed=periods_elapsed,
            thresholds=limits,
        )
        states[row["pk"]] = TaskState(
            task_id=row["pk"],
            status=status,
            expected=expected,
            completion=completion,
            latest=latest,
            periods_since_report=since,
            indicators=task_indicators,
            nodes=judged(nodes.get(row["pk"], []), as_of, completion),
            closed_on=row["closed_on"] if closed else None,
        )
    return states


def plan_task_states(plan: Plan, as_of: datetime.date) -> dict[int, TaskState]:
    """task_states of the whole plan, remembered until its data changes (tasks.revision).

    Callers showing some of the tasks pick theirs from it: one computation serves every page.
    """
    return revision.memo(
        "task_states", (plan.pk, as_of), lambda: task_states(plan, as_of), plan=plan
    )


def plan_status_history(
    plan: Plan, periods: list[Period], task_ids, today: datetime.date
) -> dict[str, dict[int, Status]]:
    """status_history of some of the plan's tasks, from the whole plan's kept history (one
    figure serves every leader's portfolio: tasks.figures computes it after a change)."""
    key = (plan.pk, tuple(p.key for p in periods), today)
    ids, columns = revision.memo(
        "status_history", key, lambda: _columns(plan, periods, today), plan=plan
    )
    wanted = set(task_ids)
    return {
        period: {pk: s for pk, s in zip(ids, statuses, strict=True) if pk in wanted}
        for period, statuses in columns.items()
    }


def _columns(plan: Plan, periods: list[Period], today: datetime.date):
    """status_history kept as (task ids, {period key: their statuses in that order}): tuples
    of statuses unpickle in a third of the time of a dict per period (2022: 0.015 against 0.048 ms)."""
    history = status_history(plan, periods, reportable(plan.tasks.all()), today)
    ids = tuple(next(iter(history.values()), {}))
    return ids, {period: tuple(statuses[pk] for pk in ids) for period, statuses in history.items()}


def status_history(
    plan: Plan, periods: list[Period], tasks, today: datetime.date
) -> dict[str, dict[int, Status]]:
    """Each task's status at the end of each period (for trend lines), in two queries.

    The same rule as task_states, replayed in Python over the counted lead reports (the typed
    percent is the completion; indicators do not drive it), so a chart of 12 weeks costs three
    queries (the tasks, their reports, their node plans), not 36.
    """
    task_rows = list(reportable(tasks).values("pk", "deadline", "extended_deadline", "closed_on"))
    ids = [t["pk"] for t in task_rows]
    last_day = max(p.end for p in periods)
    reports = list(
        _lead_reports_before(last_day)
        .filter(task__in=ids)
        .order_by("period_start", "submitted_at", "pk")
        .values("task_id", "period_key", "period_start", "percent", "state")
    )
    nodes = node_plans(tasks)
    limits = thresholds()
    year_start = datetime.date(plan.year, 1, 1)
    year_end = datetime.date(plan.year, 12, 31)
    first_period = period_containing(year_start, plan.cycle)
    history = {}
    for period in periods:
        as_of = min(period.end, as_of_for_plan(plan.year, today))
        latest = {}
        for r in reports:
            if r["period_start"] <= as_of:
                latest[r["task_id"]] = r  # ordered, so the last one wins
        now_period = period_containing(as_of, plan.cycle)
        elapsed = periods_after(first_period, now_period) + 1
        statuses = {}
        for row in task_rows:
            deadline = effective_deadline(row["deadline"], row["extended_deadline"])
            _, end = task_span(plan.year, deadline)
            report = latest.get(row["pk"])
            percent = (
                None if report is None or report["percent"] is None else float(report["percent"])
            )
            statuses[row["pk"]] = evaluate(
                as_of=as_of,
                start=year_start,
                end=end,
                expected=expected_at_day(as_of, year_start, end, nodes.get(row["pk"])),
                completion=effective_completion(percent),
                closed=closed_by(row["closed_on"], as_of, year_end),
                periods_since_last_report=(
                    None
                    if report is None
                    else periods_after(parse_period_key(report["period_key"]), now_period)
                ),
                periods_elapsed=elapsed,
                thresholds=limits,
            )
        history[period.key] = statuses
    return history
