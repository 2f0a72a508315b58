"""A leader's portfolio (我牵头的任务) as kept plain values: the table's rows, the charts' data
and the leader's plans.

The page used to build, for every request, the leader's tasks with their leaders and units (570
model instances), a django-tables2 table over them (a dozen columns, each cell through
render()) and the charts from the plan's states. The rows and the charts' figures are derived
data: they are kept here (tasks.revision.memo, under the data revision), as tuples of str,
int, float, date and Status, computed once after a change for every leader of the hot plans
(leaders.receivers), and turned into HTML for each request (leaders.portfolio_table; the
charts' SVG in leaders.views). zhangya's /leaders/1/ (benchmarks/request_costs.py, CPU ms,
median, 2026-12-01): 28.6 before, 11.1 with the kept rows, 9.7 with the plans kept as well.
"""

import datetime
from functools import partial
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F

from tasks import reporting
from tasks.models import Plan, Task, TaskLeader
from tasks.periods import Period
from tasks.progress import NodeState, plan_status_history, plan_task_states, thresholds
from tasks.revision import memo
from tasks.status import Status, pace_status, summarize
from tasks.tables import LEADERS, UNITS

from .tables import (
    latest_text,
    lead_position,
    problems_text,
    silence_days,
    silence_text,
)
from .trend import trend_periods

# The trend counts the tasks a leader acts on, worst at the bottom of each column.
TREND_STATUSES = (Status.SERIOUSLY_BEHIND, Status.BEHIND)


class Row(NamedTuple):
    """One task of the portfolio, as the table shows it (leaders.tables makes each cell)."""

    number: str
    url: str
    short_text: str
    status: Status
    closed_on: datetime.date | None
    missed_nodes: tuple[NodeState, ...]  # read by tasks.node_display.missed_flag
    completion: float | None
    expected: float
    deadline: datetime.date | None
    extended_deadline: datetime.date | None
    lead_position: str
    lead_units: str
    latest: str
    problems: str
    silence: str


class Portfolio(NamedTuple):
    rows: tuple[Row, ...]  # lagging first, then in plan order
    lagging: int
    status_counts: tuple[tuple[Status, int], ...]  # each status with tasks, display order
    trend_labels: tuple[str, ...]
    trend_series: tuple[tuple[Status, tuple[int, ...]], ...]
    # Each indicator with a 完成率: (label, completion, expected, pace light).
    pace_items: tuple[tuple[str, float, float, str], ...]

    @property
    def total(self) -> int:
        return len(self.rows)


def portfolio(plan: Plan, leader, period: Period, as_of: datetime.date) -> Portfolio:
    """The leader's portfolio in the plan for the period, kept until the data changes."""
    return memo(
        "portfolio",
        _key(plan, leader.pk, period, as_of),
        lambda: compute(plan, period, as_of, _tasks(plan, leader.pk), [leader.pk])[leader.pk],
        plan=plan,
    )


def _key(plan: Plan, leader_pk: int, period: Period, as_of: datetime.date) -> tuple:
    return (plan.pk, leader_pk, period.key, as_of, reporting.as_of_date(plan))


def warm(plan: Plan) -> None:
    """Every leader's portfolio of the plan as its page opens (the current period), computed
    from one read of the plan's tasks (leaders.receivers, after a change)."""
    period = reporting.current_period(plan)
    as_of = min(period.end, reporting.as_of_date(plan))
    every: dict = {}

    def of(leader_pk):
        if not every:
            every.update(compute(plan, period, as_of, _tasks(plan)))
        return every[leader_pk]

    leaders = TaskLeader.objects.filter(task__plan=plan).values_list("leader_id", flat=True)
    for leader_pk in sorted(set(leaders)):
        memo("portfolio", _key(plan, leader_pk, period, as_of), partial(of, leader_pk), plan=plan)


def leader_plans(leader) -> list[Plan]:
    """The plans the leader leads tasks in, newest first (the page's plan and its selector),
    kept as each plan's field values (a change of a plan or a lead moves the revision)."""
    rows = memo("leader_plans", (leader.pk,), lambda: _plan_rows([leader.pk]).get(leader.pk, []))
    return [Plan.from_db(DEFAULT_DB_ALIAS, list(row), list(row.values())) for row in rows]


def warm_leader_plans() -> None:
    """Every leader's plans, from one query (leaders.receivers, after a change)."""
    found: dict = {}

    def of(leader_pk):
        if not found:
            found.update(_plan_rows())
        return found.get(leader_pk, [])

    for leader_pk in sorted(set(TaskLeader.objects.values_list("leader_id", flat=True))):
        memo("leader_plans", (leader_pk,), partial(of, leader_pk))


def _plan_rows(leader_pks=None) -> dict[int, list[dict]]:
    """Each leader's plans as field values, in the plans' order: one query."""
    plans = Plan.objects.filter(tasks__leader_links__isnull=False)
    if leader_pks is not None:
        plans = plans.filter(tasks__leader_links__leader__in=leader_pks)
    rows = (
        plans.annotate(lead_by=F("tasks__leader_links__leader"))
        .values("lead_by", *(f.attname for f in Plan._meta.concrete_fields))
        .order_by(*Plan._meta.ordering, "lead_by")
        .distinct()
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row.pop("lead_by"), []).append(row)
    return found


def _tasks(plan: Plan, leader_pk: int | None = None) -> list[Task]:
    """The plan's tasks (a leader's, or every one with a lead leader), with leaders and units:
    three queries."""
    tasks = Task.objects.filter(plan=plan)
    tasks = (
        tasks.filter(leader_links__leader=leader_pk)
        if leader_pk is not None
        else tasks.filter(leader_links__isnull=False).distinct()
    )
    return list(tasks.select_related("plan").prefetch_related(LEADERS, UNITS))


def lagging_first(tasks, states) -> list[Task]:
    """The portfolio's order (the page and its export): most urgent status first, then plan
    order."""
    return sorted(tasks, key=lambda t: (states[t.pk].status.severity, t.sort_order))


def compute(
    plan: Plan, period: Period, as_of: datetime.date, tasks, leader_pks=None
) -> dict[int, Portfolio]:
    """The portfolio of each leader of `tasks` (prefetched as _tasks does), or of those named."""
    all_states = plan_task_states(plan, as_of)
    by_leader: dict[int, list[Task]] = {pk: [] for pk in leader_pks or ()}
    for task in tasks:
        for link in task.leader_links.all():
            if leader_pks is None or link.leader_id in leader_pks:
                by_leader.setdefault(link.leader_id, []).append(task)
    periods = trend_periods(plan, period)
    history = plan_status_history(plan, periods, [t.pk for t in tasks], reporting.as_of_date(plan))
    labels = tuple(f"第{p.index}周" if p.cycle == "weekly" else f"{p.index}月" for p in periods)
    limits = thresholds()
    found = {}
    for leader_pk, mine in by_leader.items():
        ids = {t.pk for t in mine}
        states = {pk: s for pk, s in all_states.items() if pk in ids}  # in plan order
        rows = tuple(_row(t, states[t.pk], leader_pk, as_of) for t in lagging_first(mine, states))
        counts = summarize(s.status for s in states.values())
        series = tuple(
            (
                status,
                tuple(
                    sum(1 for pk, s in history[p.key].items() if s is status and pk in ids)
                    for p in periods
                ),
            )
            for status in TREND_STATUSES
        )
        numbers = {t.pk: t.number for t in mine}
        pace = tuple(
            (
                f"任务{numbers[state.task_id]} {i.indicator.name}"
                f"（目标{i.indicator.get_comparator_display()}{i.indicator.target_display}"
                f"{i.indicator.unit}）",
                round(i.completion, 1),
                state.expected,
                pace_status(i.completion, state.expected, limits).light,
            )
            for state in states.values()
            for i in state.indicators
            if i.completion is not None
        )
        found[leader_pk] = Portfolio(
            rows=rows,
            lagging=sum(
                1 for s in states.values() if s.status.severity < Status.ON_SCHEDULE.severity
            ),
            status_counts=tuple((s, counts[s]) for s in Status if counts[s]),
            trend_labels=labels,
            trend_series=series,
            pace_items=pace,
        )
    return found


def _row(task: Task, state, leader_pk: int, as_of: datetime.date) -> Row:
    units = task.unit_links.all()
    report = state.latest
    return Row(
        number=task.number,
        url=task.get_absolute_url(),
        short_text=task.short_text,
        status=state.status,
        closed_on=state.closed_on,
        missed_nodes=tuple(state.missed_nodes),
        completion=state.completion,
        expected=state.expected,
        deadline=task.deadline,
        extended_deadline=task.extended_deadline,
        lead_position=lead_position(list(task.leader_links.all()), leader_pk),
        lead_units="、".join(u.name for u in units if u.role == u.Role.LEAD) or "—",
        latest=latest_text(report),
        problems=problems_text(report),
        silence=silence_text(silence_days(report, as_of)),
    )
