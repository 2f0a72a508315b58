"""The figures a unit's score is made of, gathered per unit for a plan × month or year.

One small function per input, each returning {department id: count} (or a pair), so that the
pure rule (reports.scoring) takes plain numbers. What makes a report owed (tasks.duties), what
counts as handed in (ProgressReport.State.COUNTED) and what makes a light (tasks.progress,
tasks.status) are asked, never re-implemented.

Stale reports come from tasks.stale, overdue coordination items from
tasks.coordination_figures, approved extensions from tasks.extensions' model.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Coalesce

from tasks import clock, reporting
from tasks.coordination_figures import overdue_items_by_unit
from tasks.duties import plan_duties, plan_units
from tasks.models import ExtensionApplication, Plan, ProgressReport, ReportEvent, Task, TaskUnit
from tasks.periods import Period, plan_periods
from tasks.progress import plan_task_states
from tasks.stale import kept_stale_by_unit
from tasks.status import Status

from .scoring import UnitFigures

AT_PACE = frozenset({Status.ON_SCHEDULE, Status.DONE})


@dataclass(frozen=True)
class Span:
    """A month ("2022-05") or the plan's year ("2022") of assessment."""

    key: str
    first: datetime.date
    last: datetime.date

    @property
    def is_year(self) -> bool:
        return len(self.key) == 4

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{self.first.year}年度"
        return f"{self.first.year}年{self.first.month}月"


def parse_span(plan: Plan, key: str | None, today: datetime.date | None = None) -> Span:
    """The span a request names, else the month of the plan's as-of date. ValueError when the
    key is not a month or the year of this plan."""
    if not key:
        as_of = reporting.as_of_date(plan, today)
        key = f"{as_of.year}-{as_of.month:02d}"
    if key == str(plan.year):
        return Span(key, datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31))
    year, sep, month = key.partition("-")
    if not (sep and year == str(plan.year) and month.isdigit() and len(month) == 2):
        raise ValueError("考核期间应为方案年度内的月份（如 2022-05）或年度（如 2022）")
    number = int(month)
    if not 1 <= number <= 12:
        raise ValueError("考核期间应为方案年度内的月份（如 2022-05）或年度（如 2022）")
    first = datetime.date(plan.year, number, 1)
    after = datetime.date(plan.year + number // 12, number % 12 + 1, 1)
    return Span(key, first, after - datetime.timedelta(days=1))


def span_choices(plan: Plan, today: datetime.date | None = None) -> list[Span]:
    """The year and every month of it begun by the plan's as-of date, latest month first."""
    as_of = reporting.as_of_date(plan, today)
    months = [parse_span(plan, f"{plan.year}-{m:02d}") for m in range(as_of.month, 0, -1)]
    return [parse_span(plan, str(plan.year)), *months]


def judged_periods(plan: Plan, span: Span, now: datetime.datetime | None = None) -> list[Period]:
    """The plan's periods starting in the span whose reports were due by now (a period still
    open for reporting is not held against anyone yet)."""
    now = now or clock.now()
    return [
        p
        for p in plan_periods(plan.year, plan.cycle)
        if span.first <= p.start <= span.last and reporting.plan_due_at(plan, p) <= now
    ]


def as_of(plan: Plan, span: Span, today: datetime.date | None = None) -> datetime.date:
    return min(span.last, reporting.as_of_date(plan, today))


def reporting_counts(plan: Plan, periods: list[Period], duties) -> dict[int, tuple[int, int]]:
    """department id -> (reports owed, of them handed in on time) over the periods, from the
    plan's duties (tasks.duties.plan_duties). One query."""
    owed = Counter()
    owing = set()
    for task_id, units in duties.items():
        for department_id, _ in units:
            owed[department_id] += len(periods)
            owing.add((task_id, department_id))
    on_time = Counter()
    if periods:
        for pair in ProgressReport.objects.filter(
            task__plan=plan,
            period_key__in=[p.key for p in periods],
            state__in=ProgressReport.State.COUNTED,
            is_late=False,
        ).values_list("task_id", "department_id"):
            # A report nobody owes (a town reporting through a group) adds nothing.
            if pair in owing:
                on_time[pair[1]] += 1
    return {d: (n, on_time.get(d, 0)) for d, n in owed.items()}


def pace_counts(plan: Plan, day: datetime.date, duties) -> dict[int, tuple[int, int]]:
    """department id -> (its lead tasks begun at `day`, of them 序时推进 or 已完成)."""
    states = plan_task_states(plan, day)
    found: dict[int, list[int]] = {}
    for task_id, units in duties.items():
        state = states.get(task_id)
        if state is None or state.status == Status.NOT_STARTED:
            continue
        for department_id, role in units:
            if role == TaskUnit.Role.LEAD:
                tally = found.setdefault(department_id, [0, 0])
                tally[0] += 1
                tally[1] += state.status in AT_PACE
    return {d: (n, ok) for d, (n, ok) in found.items()}


def returned_counts(plan: Plan, periods: list[Period]) -> dict[int, int]:
    """department id -> how often its reports of the periods were returned (退回), by the head
    or the office (every return counts, also of a report handed in again since). One query."""
    return dict(
        ReportEvent.objects.filter(
            action=ReportEvent.Action.RETURNED,
            report__task__plan=plan,
            report__period_key__in=[p.key for p in periods],
        )
        .values_list("report__department_id")
        .annotate(n=Count("pk"))
        .values_list("report__department_id", "n")
    )


def closed_counts(plan: Plan, span: Span, day: datetime.date) -> dict[int, int]:
    """department id -> its lead tasks closed (办结, Task.closed_on) within the span by `day`
    (closed tasks owe no reports, so their units are read from tasks.duties.plan_units)."""
    closed = set(
        Task.objects.filter(
            plan=plan, closed_on__gte=span.first, closed_on__lte=min(span.last, day)
        ).values_list("pk", flat=True)
    )
    found = Counter()
    for task_id, units in plan_units(plan).items():
        if task_id in closed:
            for department_id, role in units:
                if role == TaskUnit.Role.LEAD:
                    found[department_id] += 1
    return dict(found)


def stale_counts(plan: Plan, periods: list[Period]) -> dict[int, int]:
    """department id -> its reports of the periods flagged 进展停滞 (与上期基本相同), by the
    stale-report rule (tasks.stale), kept until the data changes."""
    return kept_stale_by_unit(plan, periods)


def extension_counts(plan: Plan, span: Span) -> dict[int, int]:
    """department id -> extensions (of a task's deadline or of a node) approved in the span,
    per applying unit (one query). Approval is the last step taken: the leader's, or the
    office's where no leader step was needed."""
    rows = (
        ExtensionApplication.objects.filter(
            task__plan=plan, state=ExtensionApplication.State.APPROVED
        )
        .annotate(approved_at=Coalesce("leader_at", "office_at"))
        .filter(approved_at__date__range=(span.first, span.last))
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def overdue_item_counts(plan: Plan, span: Span, day: datetime.date) -> dict[int, int]:
    """department id -> coordination items (需协调事项) naming the unit as the one to act that
    ran past their deadline within the span, up to `day` (tasks.coordination_figures)."""
    return overdue_items_by_unit(plan, span.first, day)


def unit_figures(plan: Plan, span: Span, today: datetime.date | None = None):
    """department id -> UnitFigures, for every unit that owes reports on the plan."""
    now = clock.now()
    today = today or now.date()
    day = as_of(plan, span, today)
    periods = judged_periods(plan, span, now)
    duties = plan_duties(plan)
    reporting_ = reporting_counts(plan, periods, duties)
    pace = pace_counts(plan, day, duties)
    returned = returned_counts(plan, periods)
    closed = closed_counts(plan, span, day)
    stale = stale_counts(plan, periods)
    extensions = extension_counts(plan, span)
    overdue = overdue_item_counts(plan, span, day)
    units = {d for units in duties.values() for d, _ in units}
    figures = {}
    for d in units:
        due, on_time = reporting_.get(d, (0, 0))
        lead, ok = pace.get(d, (0, 0))
        figures[d] = UnitFigures(
            due=due,
            on_time=on_time,
            lead_tasks=lead,
            at_pace=ok,
            returned=returned.get(d, 0),
            stale=stale.get(d, 0),
            extensions=extensions.get(d, 0),
            overdue_items=overdue.get(d, 0),
            closed=closed.get(d, 0),
        )
    return figures, day, periods
