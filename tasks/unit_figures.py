"""我的任务's kept figures: what a unit's list shows of each task, as plain values.

Two plan-wide figures, computed once for every unit (and after each change by tasks.figures):
- plan_rows: each task's number, texts, links (paths after the script prefix), order, closure
  date and responsible units (as tasks.unit_role reads them), the groups' members and the
  filter bar's options (no report: kept across this week's reports);
- plan_lights: each task's light as of a day (tasks.progress.plan_task_states, as strings).
and per unit and period, from plan_rows, the duties and the tasks the person reads
(tasks.access.tasks_visible_to, one query), the unit's rows (_unit_rows), which read no report
and are kept under the plan's settled counter (revision.NO_REPORTS); with the lights as of a
day, unit_tasks, the one figure a page loads.
All are dicts, lists and tuples of str, int and date: they unpickle in a fraction of what model
instances and the task states would cost. Kept until the data revision moves (tasks.revision).
"""

import datetime
from collections import namedtuple

from django.urls import get_script_prefix, reverse

from accounts.roles import person_of
from departments.models import UnitGroup

from . import reporting, revision
from .access import tasks_visible_to
from .duties import plan_duties
from .lookups import kept_plan_or_404, period_or_404
from .models import Plan, TaskUnit
from .progress import plan_task_states
from .tables import UNITS
from .unit_role import unit_role
from .unit_todo_filters import options_of

# A task's responsible unit or group, with the attributes tasks.unit_role reads.
Link = namedtuple("Link", ["role", "department_id", "group_id", "name"])


def plan_rows(plan: Plan) -> dict:
    """{"rows": [task row, ...] in plan order, "members": {group id: [unit ids]}, "options":
    the filter bar's (tasks.unit_todo_filters.options_of)}. A task row: pk, number, text, short_text, url, report_url, sort_order,
    closed_on, links (Link)."""
    return revision.memo(
        "plan_task_rows",
        (plan.pk,),
        lambda: _plan_rows(plan),
        plan=plan,
        settled=revision.NO_REPORTS,  # structure alone: no report moves it
    )


def _plan_rows(plan: Plan) -> dict:
    cut = len(get_script_prefix())  # kept paths are the same under any prefix
    rows = [
        {
            "pk": task.pk,
            "number": task.number,
            "text": task.text,
            "short_text": task.short_text,
            "url": task.get_absolute_url()[cut:],
            "report_url": reverse("tasks:report", args=[plan.slug, task.number])[cut:],
            "sort_order": task.sort_order,
            "closed_on": task.closed_on,
            "links": [
                Link(link.role, link.department_id, link.group_id, link.name)
                for link in task.unit_links.all()
            ],
        }
        for task in plan.tasks.order_by("sort_order", "pk").prefetch_related(UNITS)
    ]
    members = {}
    for group_id, unit_id in UnitGroup.members.through.objects.values_list(
        "unitgroup_id", "department_id"
    ):
        members.setdefault(group_id, []).append(unit_id)
    return {
        "rows": rows,
        "members": members,
        "options": options_of(plan),
    }


def plan_list() -> list[dict]:
    """The plan picker's plans (pk, slug, year, title), kept apart from the plan's own figures:
    a change to any plan moves it (tasks.revision, no plan=), one to this plan's tasks not
    another county's 我的任务."""
    return revision.memo(
        "plan_list",
        (),
        _plan_list,
        settled=revision.NO_REPORTS,
    )


def _plan_list() -> list[dict]:
    return list(Plan.objects.values("pk", "slug", "year", "title"))


def plan_lights(plan: Plan, as_of: datetime.date) -> dict:
    """Each task's light as of `as_of`: task id -> (light, status value, light words, status
    words), from the task states (a heading has none)."""

    def compute():
        lights = {}
        for task_id, state in plan_task_states(plan, as_of).items():
            status = state.status
            lights[task_id] = tuple(
                map(str, (status.light, status.value, status.light_label, state.label))
            )
        return lights

    return revision.memo("plan_lights", (plan.pk, as_of), compute, plan=plan)


def _scope(user) -> tuple:
    """What the tasks a person reads depend on (tasks.access.tasks_visible_to): the unit, and
    whether the person reads the whole plan (the office, a leader)."""
    person = person_of(user)
    return (person.unit.pk, person.is_office or person.leader is not None)


def unit_tasks(user, plan: Plan, period, as_of: datetime.date) -> dict:
    """{"rows": [row, ...] in plan order, "owed": ids of the tasks the unit owes a report
    for `period`, "options", "plans" (plan_rows')}: every task `user` reads whose unit has a
    part in it. A row: plan_rows' row without its links, with role (tasks.unit_role),
    lead_units (names), owed, light (plan_lights' as of `as_of`, or None)."""
    scope = (plan.pk, *_scope(user), period.key)
    kept = revision.memo(
        "unit_page",
        (*scope, as_of),
        lambda: _with_lights(_unit_rows(user, plan, period, scope), plan_lights(plan, as_of)),
        plan=plan,
    )
    return {**kept, "plans": plan_list()}


def warm_unit_page(user) -> None:
    """After `user`'s unit submitted a report, in its request: the figure of the 我的任务 its
    redirect opens (the default plan, this period: tasks.views.my_tasks), so that the first
    page after the unit's own change reads it like any other (tasks.figures has warmed the
    lights it is made of): that page 1.27x -> 0.95x a warm one (CPU, in-process,
    2026-12-01)."""
    plan = kept_plan_or_404(None)
    period = period_or_404(plan, None)
    unit_tasks(user, plan, period, min(period.end, reporting.as_of_date(plan)))


def _with_lights(kept: dict, lights: dict) -> dict:
    return {**kept, "rows": [{**row, "light": lights.get(row["pk"])} for row in kept["rows"]]}


def _unit_rows(user, plan: Plan, period, scope: tuple) -> dict:
    """unit_tasks without the lights, kept apart under the plan's settled counter (it reads no
    report): after a report the page's figure is this and plan_lights (both kept), not the
    duties, the rows of every task and the tasks the person reads again. With the panels and
    plans kept alike, the first 我的任务 after another unit's report: 18.0 -> 10.4 ms CPU,
    warm 8.9 (in-process, a counted report's bump and warm, 2026-12-01)."""
    return revision.memo(
        "unit_rows",
        scope,
        lambda: _compute_unit_rows(user, plan, period),
        plan=plan,
        settled=revision.NO_REPORTS,
    )


def _compute_unit_rows(user, plan: Plan, period) -> dict:
    unit = person_of(user).unit
    kept = plan_rows(plan)
    duties = plan_duties(plan, period)
    owed = {task_id for task_id, units in duties.items() if any(d == unit.pk for d, _ in units)}
    group_ids = {group for group, units in kept["members"].items() if unit.pk in units}
    visible = set(tasks_visible_to(user, plan.tasks.all()).values_list("pk", flat=True))
    rows = []
    for task in kept["rows"]:
        if task["pk"] not in visible:
            continue
        row = {name: value for name, value in task.items() if name != "links"}
        links = task["links"]
        row["role"] = unit_role(links, unit.pk, group_ids)
        row["lead_units"] = [link.name for link in links if link.role == TaskUnit.Role.LEAD]
        row["owed"] = task["pk"] in owed
        rows.append(row)
    return {"rows": rows, "owed": owed, "options": kept["options"]}
