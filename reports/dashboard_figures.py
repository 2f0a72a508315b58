"""The office dashboard's figures of one period, kept as plain values (tasks.revision).

reports.overview.period_overview builds about 1,000 model objects for a plan of 146 tasks
(tasks, departments, this and last period's reports); the dashboard shows a few hundred numbers
and names of them. They are derived data: computed once per data revision (and as-of date)
into the shared figures store, as strings, numbers and named tuples, which unpickle about ten
times faster than model instances (and in half the time of dataclasses), and warmed after
every change (reports.receivers). What depends on the clock of the request (whether the
reports are due yet) and the links that carry the request's period stay in the view.

Everything is formatted here as the template printed it before (floatformat:1, the plain str
of an int or a rate), so the page reads the same.
"""

import datetime
from typing import NamedTuple

from django.template.defaultfilters import floatformat

from tasks import revision
from tasks.models import Plan, ProgressReport, TaskLeader, TaskUnit
from tasks.node_display import missed_title
from tasks.periods import Period
from tasks.stale import StaleRow, stale_rows
from tasks.status import Status

from .overview import as_of_for, period_overview

SHOWN = 30  # lagging tasks, changes and stale reports listed (the totals say how many more)
RATE_LOW = 60  # 报送率 below this is marked (rate-low) once the reports are due
# The store's name of the figure: a new one whenever the dataclasses below change, since a
# deployment does not move the data revision and figures kept by the old code would be read.
NAME = "dashboard-3"


class UnitRate(NamedTuple):
    """One unit's row of 各单位报送率."""

    name: str
    due: int
    on_time: int
    late: int
    missing: int
    rate: float  # 报送率 in percent
    low: bool  # below RATE_LOW


class LaggingRow(NamedTuple):
    """One row of 滞后与未报送任务."""

    number: str
    url: str  # the task page (the view adds ?period=)
    short_text: str
    status: str  # a Status value
    light: str
    label: str
    missed: int  # nodes missed (节点未按期)
    missed_title: str
    completion: str  # "45.0%" or "—"
    expected: str  # "52.3%"
    lead_units: str
    lead_leaders: str
    lead_ids: tuple[int, ...]  # the lead units a 催办 goes to


class Change(NamedTuple):
    """One row of 与上期相比的变化."""

    number: str
    short_text: str
    before: str
    after: str
    new_problems: str


class DashboardFigures(NamedTuple):
    report_counts: dict[str, int]  # due, missing, late and each report state (as Overview)
    received: int
    rate: float  # the period's 报送率
    status_counts: tuple[int, ...]  # tasks per Status, in declaration order
    task_count: int
    units: tuple[UnitRate, ...]  # lowest 报送率 first
    missing_units: int
    lagging: tuple[LaggingRow, ...]  # the first SHOWN, worst first
    lagging_total: int
    changes: tuple[Change, ...]  # the first SHOWN
    stale: tuple[StaleRow, ...]  # the period's stale reports (进展停滞), the first SHOWN
    stale_total: int
    sections: tuple[tuple[str, tuple[int, ...]], ...]  # section title, tasks per Status


def dashboard_figures(plan: Plan, period: Period, today: datetime.date) -> DashboardFigures:
    """The period's figures as of `today` (judged at the period's end once it is over)."""
    as_of = as_of_for(plan, period, today)
    return revision.memo(NAME, (plan.pk, period.key, as_of), lambda: compute(plan, period, today))


def _percent(value) -> str:
    return f"{floatformat(value, 1)}%"


def compute(plan: Plan, period: Period, today: datetime.date) -> DashboardFigures:
    view = period_overview(plan, period, today=today, full=False)
    counts = view.status_counts()
    tallies = sorted(view.units.values(), key=lambda u: (u.rate, -u.due, u.department.sort_order))
    lagging = view.lagging()
    shown = lagging[:SHOWN]
    leaders: dict[int, list[str]] = {}
    links = TaskLeader.objects.filter(task__in=[t.pk for t in shown]).select_related("leader")
    for link in links:
        leaders.setdefault(link.task_id, []).append(link.leader.name)
    rows = []
    for task in shown:
        state = view.states[task.pk]
        lead = tuple(d for d, role in view.duties.get(task.pk, []) if role == TaskUnit.Role.LEAD)
        rows.append(
            LaggingRow(
                number=task.number,
                url=task.get_absolute_url(),
                short_text=task.short_text,
                status=state.status.value,
                light=state.status.light,
                label=state.label,
                missed=len(state.missed_nodes),
                missed_title=missed_title(state),
                completion="—" if state.completion is None else _percent(state.completion),
                expected=_percent(state.expected),
                lead_units="、".join(view.units[d].department.name for d in lead) or "—",
                lead_leaders="、".join(leaders.get(task.pk, [])) or "—",
                lead_ids=lead,
            )
        )
    changes = view.changes()
    stale = stale_rows(plan, period)
    return DashboardFigures(
        # Every count the summary prints, 0 when none.
        report_counts=dict.fromkeys(("due", "missing", "late", *ProgressReport.State.values), 0)
        | view.report_counts,
        received=view.received,
        rate=view.reporting_rate,
        status_counts=tuple(counts[s] for s in Status),
        task_count=len(view.tasks),
        units=tuple(
            UnitRate(
                name=u.department.name,
                due=u.due,
                on_time=u.on_time,
                late=u.late,
                missing=len(u.missing),
                rate=u.rate,
                low=u.rate < RATE_LOW,
            )
            for u in tallies
        ),
        missing_units=sum(1 for u in tallies if u.missing),
        lagging=tuple(rows),
        lagging_total=len(lagging),
        changes=tuple(
            Change(
                number=c["number"],
                short_text=c["task"].short_text,
                before=c["before"],
                after=c["after"],
                new_problems=c["new_problems"],
            )
            for c in changes[:SHOWN]
        ),
        stale=tuple(stale[:SHOWN]),
        stale_total=len(stale),
        sections=tuple((title, tuple(row[s] for s in Status)) for title, row in view.by_section()),
    )
