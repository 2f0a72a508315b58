"""The task list's kept figures: each task's row data, its state and the filter bar's choices.

The page filters, sorts and pages in the database (tasks.plan_table, tasks.filters), which
gives the ids of the rows shown; what each row shows of the plan (text, section, leaders,
units, deadline) and the choices of the filter bar are derived data, kept as plain values
(tasks.revision: every change to a task, section, leader, unit, group or link moves the data
revision, tasks.receivers). A page then builds no model instance for them: before, it built
about 900 (its tasks with their leader and unit links, and every option of the filter bar).
Its states are the few plain values of tasks.progress's TaskState it shows and sorts on
(ListState): unpickling the plan's TaskStates (their latest reports and indicators are model
instances) was a third of the rest of the page.

The kept values are NamedTuples, and each name (a unit's, a leader's) is one string however
many rows show it, so the pickle holds it once: unpickling the figure took 0.73 ms of CPU
with frozen dataclasses and a string per row, 0.19 with these (and 0.21 → 0.17 to unzip),
of a page of about 11 (benchmarks/request_costs.py and a loads() loop, 2026-12-01).
"""

import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q

from departments.models import Department
from leaders.models import Leader

from . import reporting, revision
from .models import Section, TaskLeader, TaskUnit
from .progress import plan_task_states
from .status import Status, status_label


class PlanRef(NamedTuple):
    year: int


class SectionRef(NamedTuple):
    number: str
    title: str


class TaskRow(NamedTuple):
    """A task as the task list shows and exports it. It reads like a Task where the shared
    columns read one (DeadlineColumn: deadline, extended_deadline, plan.year; TaskTable's
    text and section columns: get_absolute_url(), short_text, text, section.number/.title)."""

    pk: int
    number: str
    text: str
    short_text: str
    url: str
    section: SectionRef
    leaders: tuple[str, ...]
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    deadline: datetime.date | None
    extended_deadline: datetime.date | None
    plan: PlanRef

    def get_absolute_url(self) -> str:
        return self.url


def _rows(plan) -> dict[int, TaskRow]:
    """Three queries: the tasks with their sections, their leaders, their units."""
    names: dict[str, str] = {}  # one string per name: the pickle keeps it once
    leaders: dict[int, list[str]] = {}
    for task_id, name in (
        TaskLeader.objects.filter(task__plan=plan)
        .order_by("task", "position")
        .values_list("task_id", "leader__name")
    ):
        leaders.setdefault(task_id, []).append(names.setdefault(name, name))
    units: dict[tuple[int, str], list[str]] = {}
    for link in (
        TaskUnit.objects.filter(task__plan=plan)
        .select_related("department", "group")
        .order_by("task", "position")
    ):
        name = link.name
        units.setdefault((link.task_id, link.role), []).append(names.setdefault(name, name))
    ref = PlanRef(year=plan.year)
    sections: dict[int, SectionRef] = {}
    return {
        task.pk: TaskRow(
            pk=task.pk,
            number=task.number,
            text=task.text,
            short_text=task.short_text,
            url=task.get_absolute_url(),
            section=sections.setdefault(
                task.section_id, SectionRef(task.section.number, task.section.title)
            ),
            leaders=tuple(leaders.get(task.pk, ())),
            lead_units=tuple(units.get((task.pk, TaskUnit.Role.LEAD), ())),
            cooperating_units=tuple(units.get((task.pk, TaskUnit.Role.COOPERATING), ())),
            deadline=task.deadline,
            extended_deadline=task.extended_deadline,
            plan=ref,
        )
        for task in plan.tasks.select_related("section", "plan")
    }


class FilterChoices(NamedTuple):
    """Each select's (value, label) strings (tasks.filters.CHOICE_FILTERS), in the order and
    with the labels the model choice fields give."""

    section: tuple[tuple[str, str], ...]
    leader: tuple[tuple[str, str], ...]
    lead_unit: tuple[tuple[str, str], ...]
    unit: tuple[tuple[str, str], ...]


def _choices(plan) -> FilterChoices:
    """Three queries: sections, leaders, units (the lead units are the units that lead)."""
    links = TaskUnit.objects.filter(task__plan=plan)
    units = Department.objects.filter(
        Q(pk__in=links.values("department")) | Q(pk__in=links.values("group__members"))
    ).annotate(leads=Exists(links.filter(role=TaskUnit.Role.LEAD, department=OuterRef("pk"))))
    units = [(str(u.pk), str(u), u.leads) for u in units]
    leaders = Leader.objects.filter(
        pk__in=TaskLeader.objects.filter(task__plan=plan).values("leader")
    )
    return FilterChoices(
        section=tuple((str(s.pk), str(s)) for s in Section.objects.filter(plan=plan)),
        leader=tuple((str(leader.pk), str(leader)) for leader in leaders),
        lead_unit=tuple((pk, label) for pk, label, leads in units if leads),
        unit=tuple((pk, label) for pk, label, _leads in units),
    )


class ListState(NamedTuple):
    """What the task list reads of a task's TaskState (tasks.progress), as plain values."""

    status: Status
    closed_on: datetime.date | None
    completion: float | None
    expected: float
    latest_key: str | None  # the latest counted report's period
    latest_start: datetime.date | None

    @property
    def label(self) -> str:
        return status_label(self.status, self.closed_on)


def _list_states(plan, as_of) -> dict[int, ListState]:
    one = {}  # one object per period key and date: the pickle keeps each once
    states = {}
    for pk, state in plan_task_states(plan, as_of).items():
        latest = state.latest
        states[pk] = ListState(
            status=state.status,
            closed_on=one.setdefault(state.closed_on, state.closed_on),
            completion=state.completion,
            expected=state.expected,
            latest_key=one.setdefault(latest.period_key, latest.period_key) if latest else None,
            latest_start=one.setdefault(latest.period_start, latest.period_start)
            if latest
            else None,
        )
    return states


class ListFigures(NamedTuple):
    rows: dict[int, TaskRow]  # every task of the plan
    choices: FilterChoices
    states: dict[int, ListState]  # as of the day asked for; headings have none


def list_figures(plan, as_of: datetime.date) -> ListFigures:
    """The task list's figures of the plan as of `as_of`, kept as one (tasks.revision): one
    read from the store. Computed: the rows' three queries and the choices' three (the states
    come from plan_task_states, itself kept)."""
    return revision.memo(
        "task-list-figures",  # "task-list" kept them as dataclasses
        (plan.pk, as_of),
        lambda: ListFigures(
            rows=_rows(plan), choices=_choices(plan), states=_list_states(plan, as_of)
        ),
        plan=plan,
    )


def warm(sender=None, using="default", plan=None, **kwargs) -> None:
    """After a change (tasks.signals.figures_moved): the task list's figures of the hot plans
    as of today, computed once for every worker (tasks.figures does the states first)."""
    from .figures import hot_plans

    for hot in hot_plans(using, plan):
        list_figures(hot, reporting.as_of_date(hot))
