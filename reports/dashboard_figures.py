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
from tasks.stale import StaleRow, kept_stale_rows
from tasks.status import Status

from .dashboard_queries import OWED
from .overview import as_of_for, period_overview

SHOWN = 30  # lagging tasks, changes and stale reports listed (the totals say how many more)
COUNTED = sorted(ProgressReport.State.COUNTED)
RATE_LOW = 60  # 报送率 below this is marked (rate-low) once the reports are due
# The store's name of the figure: a new one whenever the dataclasses below change, since a
# deployment does not move the data revision and figures kept by the old code would be read.
NAME = "dashboard-4"


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
    # due, missing, late and the counted states (as Overview); drafts and returned reports
    # are counted per request (owed_counts): saving one does not move the data revision
    report_counts: dict[str, int]
    due_pairs: frozenset[tuple[int, int]]  # (task id, department id) owing a report
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


def dashboard_figures(
    plan: Plan, period: Period, today: datetime.date, *, fresh: dict | None = None
) -> DashboardFigures:
    """The period's figures as of `today` (judged at the period's end once it is over), kept.
    When they are computed here, `fresh` (a dict) receives the period's 草稿 and 已退回 counts
    of the same computation."""
    as_of = as_of_for(plan, period, today)

    def computed():
        view = period_overview(plan, period, today=today, full=False)
        if fresh is not None:
            fresh.update({state: view.report_counts.get(state, 0) for state in OWED})
        return _figures(view)

    return revision.memo(NAME, (plan.pk, period.key, as_of), computed, plan=plan)


def summary_counts(plan: Plan, period: Period, today: datetime.date, owed_rows):
    """The kept figures, and the summary's counts with the drafts and returned reports of now
    (saving a draft moves no kept figure): `owed_rows` of the period (dashboard_queries.live)
    unless the figures were just computed."""
    fresh: dict = {}
    figures = dashboard_figures(plan, period, today, fresh=fresh)
    owed = fresh or owed_counts(figures, owed_rows)
    return figures, figures.report_counts | owed


def owed_counts(figures: DashboardFigures, rows) -> dict[str, int]:
    """The summary's 草稿 and 已退回 as period_overview counts them: of the period's reports not
    counted, `rows` of (task id, department id, state), those of a unit that owes the task a
    report."""
    counts = dict.fromkeys(OWED, 0)
    for task_id, department_id, state in rows:
        if (task_id, department_id) in figures.due_pairs:
            counts[state] += 1
    return counts


def _percent(value) -> str:
    return f"{floatformat(value, 1)}%"


def compute(plan: Plan, period: Period, today: datetime.date) -> DashboardFigures:
    """The figures computed afresh (what dashboard_figures keeps)."""
    return _figures(period_overview(plan, period, today=today, full=False))


def _figures(view) -> DashboardFigures:
    plan, period = view.plan, view.period
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
    stale = kept_stale_rows(plan, period)
    return DashboardFigures(
        # Every count the summary prints, 0 when none (drafts and returned ones: owed_counts).
        report_counts=dict.fromkeys(("due", "missing", "late", *COUNTED), 0)
        | {k: n for k, n in view.report_counts.items() if k not in OWED},
        due_pairs=frozenset(
            (task.pk, department_id)
            for task in view.tasks
            for department_id, _role in view.duties.get(task.pk, [])
        ),
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
