"""One period of one plan at a glance: the figures the dashboard shows and the workbook freezes.

Both the office dashboard and the weekly roll-up read this, so the numbers on screen and on
paper cannot disagree. The number of queries is fixed, whatever the size of the plan.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from departments.models import Department
from tasks import reporting
from tasks.duties import plan_duties
from tasks.export import tasks_with_responsibilities
from tasks.models import Plan, ProgressReport, Task, TaskUnit
from tasks.periods import Period
from tasks.progress import TaskState, plan_task_states
from tasks.status import Status, summarize

LAGGING = (Status.SERIOUSLY_BEHIND, Status.NOT_REPORTED, Status.BEHIND)


def short(task: Task, limit: int = 30) -> str:
    return f"{task.number} {task.text[:limit]}{'…' if len(task.text) > limit else ''}"


@dataclass
class UnitTally:
    department: Department
    led: int = 0
    cooperated: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: list[Task] = field(default_factory=list)
    lagging: list[Task] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """报送率: share of due reports received (late ones count as received)."""
        return round(100 * (self.on_time + self.late) / self.due, 1) if self.due else 100.0


@dataclass
class Overview:
    plan: Plan
    period: Period
    as_of: datetime.date
    tasks: list[Task]
    states: dict[int, TaskState]
    previous_states: dict[int, TaskState]
    reports: dict[int, dict[int, ProgressReport]]  # task id -> department id -> this period's
    previous_lead: dict[int, ProgressReport]  # task id -> last period's counted lead report
    duties: dict[int, list[tuple[int, str]]]
    units: dict[int, UnitTally]
    report_counts: dict[str, int]  # due, submitted, approved, accepted, returned, draft, missing

    def lead_report(self, task: Task) -> ProgressReport | None:
        """The lead unit's counted report speaks for the task (the earliest submitted wins)."""
        leads = [
            r
            for r in self.reports.get(task.pk, {}).values()
            if r.role == TaskUnit.Role.LEAD and r.counts_as_reported
        ]
        return (
            min(leads, key=lambda r: (r.submitted_at is None, r.submitted_at, r.pk))
            if leads
            else None
        )

    def unit_words(self, task: Task) -> list[dict]:
        words = []
        for department_id, role in self.duties.get(task.pk, []):
            report = self.reports.get(task.pk, {}).get(department_id)
            if report is None or not report.counts_as_reported:
                word = "未报送"
            else:
                word = "逾期报送" if report.is_late else report.get_state_display()
            words.append(
                {"unit": self.units[department_id].department.name, "role": role, "state": word}
            )
        return words

    @property
    def received(self) -> int:
        """Reports due this period that came in (late ones included)."""
        return self.report_counts.get("due", 0) - self.report_counts.get("missing", 0)

    @property
    def reporting_rate(self) -> float:
        """The period's 报送率 in percent, as the dashboard and the bulletin print it."""
        due = self.report_counts.get("due", 0)
        return round(100 * self.received / due, 1) if due else 100.0

    def status_counts(self) -> dict[Status, int]:
        return summarize(state.status for state in self.states.values())

    def lagging(self) -> list[Task]:
        order = {status: i for i, status in enumerate(LAGGING)}
        tasks = [t for t in self.tasks if self.states[t.pk].status in order]
        return sorted(tasks, key=lambda t: (order[self.states[t.pk].status], t.sort_order))

    def changes(self) -> list[dict]:
        """Tasks whose status moved since last period, and problems raised this period."""
        found = []
        for task in self.tasks:
            before, after = self.previous_states[task.pk].status, self.states[task.pk].status
            lead, previous = self.lead_report(task), self.previous_lead.get(task.pk)
            problems = lead.problems.strip() if lead else ""
            raised = (
                problems
                if problems and problems != (previous.problems.strip() if previous else "")
                else ""
            )
            if before != after or raised:
                found.append(
                    {
                        "task": task,
                        "number": task.number,
                        "text": task.text,
                        "before": before.label,
                        "after": after.label,
                        "new_problems": raised,
                    }
                )
        return found

    def by_section(self) -> list[tuple[str, dict[Status, int]]]:
        rows: dict[int, tuple[str, list[Status]]] = {}
        for task in self.tasks:
            title = f"{task.section.number}、{task.section.title}"
            rows.setdefault(task.section_id, (title, []))[1].append(self.states[task.pk].status)
        return [(title, summarize(statuses)) for title, statuses in rows.values()]


def dashboard_period(plan: Plan, now: datetime.datetime) -> Period:
    """The period the office needs first: the current one once its reports are due, before
    that the last one (whose figures are final), so that reports not due yet never look late."""
    current = reporting.current_period(plan, now.date())
    if (
        now < reporting.plan_due_at(plan, current)
        and reporting.as_of_date(plan, now.date()) == now.date()
    ):
        return current.previous()
    return current


def as_of_for(plan: Plan, period: Period, today: datetime.date | None = None) -> datetime.date:
    """A period is judged at its end, or today if it is still running."""
    return min(period.end, reporting.as_of_date(plan, today))


def period_overview(
    plan: Plan,
    period: Period,
    *,
    today: datetime.date | None = None,
    full: bool = True,
) -> Overview:
    """The period's figures. `full=False` is for the dashboard, which shows figures, not texts:
    the tasks come without their leader and unit links, the reports without their progress and
    next-step texts (the workbook needs both)."""
    as_of = as_of_for(plan, period, today)
    if full:
        tasks = list(tasks_with_responsibilities(plan))
    else:
        tasks = list(plan.tasks.select_related("section", "plan").order_by("sort_order"))
    states = plan_task_states(plan, as_of)
    tasks = [t for t in tasks if t.pk in states]  # the reportable ones (tasks.reportable)
    previous_states = plan_task_states(plan, as_of_for(plan, period.previous(), today))
    duties = plan_duties(plan, period)
    departments = Department.objects.filter(pk__in={d for duty in duties.values() for d, _ in duty})
    units = {d.pk: UnitTally(department=d) for d in departments}
    reports: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    reports_of = ProgressReport.objects.filter(task__plan=plan)
    if not full:
        # What Overview and the dashboard read of a report (anything else: a query each).
        reports_of = reports_of.only(
            "task", "department", "role", "state", "is_late", "submitted_at", "problems"
        )
    for report in reports_of.filter(period_key=period.key):
        reports[report.task_id][report.department_id] = report
    previous_lead = {
        r.task_id: r
        for r in reports_of.filter(
            period_key=period.previous().key,
            period_start=period.previous().start,  # the (task, role, period_start) index
            role=TaskUnit.Role.LEAD,
            state__in=ProgressReport.State.COUNTED,
        ).order_by("-submitted_at")
    }
    counts = defaultdict(int)
    for task in tasks:
        lagging = states[task.pk].status in LAGGING
        for department_id, role in duties.get(task.pk, []):
            tally = units[department_id]
            report = reports[task.pk].get(department_id)
            tally.due += 1
            counts["due"] += 1
            if role == TaskUnit.Role.LEAD:
                tally.led += 1
                if lagging:
                    tally.lagging.append(task)
            else:
                tally.cooperated += 1
            if report is None or not report.counts_as_reported:
                tally.missing.append(task)
                counts["missing"] += 1
                if report is not None:
                    counts[report.state] += 1  # drafts and returned ones still owed
            else:
                counts[report.state] += 1
                if report.is_late:
                    tally.late += 1
                    counts["late"] += 1
                else:
                    tally.on_time += 1
    return Overview(
        plan=plan,
        period=period,
        as_of=as_of,
        tasks=tasks,
        states=states,
        previous_states=previous_states,
        reports=dict(reports),
        previous_lead=previous_lead,
        duties=duties,
        units=units,
        report_counts=dict(counts),
    )
