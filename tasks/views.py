from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.export import export_bytes, maybe_export, xlsx_response

from . import (
    audit,
    node_plans,
    reporting,
    revision,
    task_page,
    todo,
    unit_figures,
    unit_todo,
)
from .access import (
    can_edit_indicators,
    can_report,
    task_reading,
    tasks_visible_to,
)
from .closure_panel import panel as closure_panel
from .extension_panel import extension_panel
from .history import timeline_for
from .lookups import kept_plan_or_404, period_or_404
from .periods import plan_periods
from .plan_rows import list_figures
from .plan_table import PlanTaskFilterSet, PlanTaskTable
from .task_page import task_figure
from .unit_todo_filters import filter_bar
from .unit_todo_table import UnitTodoTable


@login_required
def task_list(request):
    """The whole plan for the office and leaders; a unit's own tasks for unit staff: each
    task's status, 完成/序时 and latest report as of today, filtered and sorted on them."""
    # The plan and the plan picker's plans kept (tasks.lookups, tasks.unit_figures): two
    # queries fewer, 12.5 -> 11.2 ms CPU for the page (requests interleaved with and without,
    # median of 60 each, load average 7 on 2 cores, 2026-12-01).
    plan = kept_plan_or_404(request.GET.get("plan"))
    as_of = reporting.as_of_date(plan)
    figures = list_figures(plan, as_of)
    states = figures.states
    queryset = tasks_visible_to(request.user, plan.tasks.all())
    filterset = PlanTaskFilterSet(
        request.GET or None,
        queryset=queryset,
        plan=plan,
        states=states,
        choices=figures.choices,
    )
    table = PlanTaskTable(filterset.qs, states=states, rows=figures.rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if request.GET.get("_export") == "xlsx":
        # The file is the rows (ids, in the order shown) and their plan data (tasks, leaders,
        # units) as of the day: remembered under those until the data revision moves.
        title = f"{plan.year}年任务清单"
        ids = tuple(table.data.ids)
        data = revision.memo(
            "task-list-xlsx",
            (ids, title, as_of),
            lambda: export_bytes(table, title, as_of=as_of),
            plan=plan,
        )
        return xlsx_response(data, title, as_of=as_of)
    return render(
        request,
        "tasks/task_list.html",
        {
            "plan": plan,
            "plans": unit_figures.plan_list(),
            "filter": filterset,
            "table": table,
            "as_of": as_of,
        },
    )


@login_required
def my_tasks(request):
    """A unit's start page: this period's to-do — every task it reports on, light and state."""
    unit = person_of(request.user).unit
    if unit is None:
        raise PermissionDenied("仅单位账号可用")
    plan = kept_plan_or_404(request.GET.get("plan"))
    period = period_or_404(plan, request.GET.get("period"))
    as_of = min(period.end, reporting.as_of_date(plan))
    open_periods = reporting.open_periods(plan)
    kept = unit_figures.unit_tasks(request.user, plan, period, as_of)
    owed = kept["owed"]
    # One query: the unit's reports of the period shown and of every period still open.
    keys = {period.key, *(p.key for p in open_periods)}
    by_period = unit_todo.unit_reports(request.user, plan, keys, kept["rows"])
    reports = {task_id: r for (key, task_id), r in by_period.items() if key == period.key}
    show_optional = request.GET.get("optional") == "1"
    filterset = filter_bar(request.GET, plan=plan, options=kept["options"])
    chosen = filterset.chosen_ids(lambda: tasks_visible_to(request.user, plan.tasks.all()))
    rows = [
        {
            **row,
            "report": reports.get(row["pk"]),
            "need": todo.ROW_RANK[getattr(reports.get(row["pk"]), "state", None)],
        }
        for row in kept["rows"]
        # The to-do lists what the unit owes, plus anything it has already started, and its
        # closed tasks (已办结 with their date; they owe nothing).
        if (show_optional or row["owed"] or row["pk"] in reports or row["closed_on"] is not None)
        and (chosen is None or row["pk"] in chosen)
    ]
    due = reporting.plan_due_at(plan, period)
    table = UnitTodoTable(
        rows,
        period=period,
        due=due,
        can_write=period in open_periods,
        order_by=("report_state",),  # what needs action first (?sort= still wins)
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, f"我的任务-{period.key}", as_of=as_of):
        return exported
    tasks = {row["pk"]: row for row in kept["rows"]}
    context = {
        "plan": plan,
        "plans": kept["plans"],
        "filter": filterset,
        "table": table,
        "unit": unit,
        "period": period,
        "periods": unit_todo.year_periods(plan.year, plan.cycle),
        "due": due,
        "counts": unit_todo.state_counts(
            [r for r in reports.values() if r.task_id in owed], len(owed)
        ),
        "show_optional": show_optional,
        "todo": unit_todo.todo_block(plan, open_periods, owed, by_period, period, tasks),
    }
    return render(request, "tasks/my_tasks.html", context)


@login_required
def task_detail(request, plan_key: str, number: str):
    plan = kept_plan_or_404(plan_key)
    period = period_or_404(plan, request.GET.get("period"))
    as_of = min(period.end, reporting.as_of_date(plan))
    figure = task_figure(plan, number, as_of)  # kept: the task, who is responsible, its state
    # Out of scope and nonexistent look the same: no task is found by guessing its URL.
    reading = None if figure is None else task_reading(request.user, figure.pk)
    if reading is None or not reading.may_read:
        raise Http404("未找到该任务")
    role = reading.unit_role  # the unit's part in the task, asked once for every block
    task = figure.task(plan)
    state = figure.state  # None: a heading (tasks.reportable)
    unit = person_of(request.user).unit
    timeline = timeline_for(
        task, user=request.user, as_of=as_of, history_page=request.GET.get("history")
    )
    rows = task_page.blocks_with_rows(task)
    return render(
        request,
        "tasks/task_detail.html",
        {
            "plan": plan,
            "task": task,
            "figure": figure,
            "any_instructions": rows["instructions"],
            "period": period,
            "periods": plan_periods(plan.year, plan.cycle),
            "state": state,
            "timeline": timeline,
            "trail": audit.trail(task, limit=50) if rows["events"] else [],
            "nodes": node_plans.task_section(
                task, state, request.user, any_proposal=rows["proposals"], unit_role=role
            )
            if state
            else None,
            "extension": extension_panel(
                request.user, task, any_applications=rows["extensions"], unit_role=role
            ),
            "charts": figure.charts,
            "can_report": unit is not None and can_report(request.user, task, unit, role=role),
            "can_edit_indicators": can_edit_indicators(request.user),
            "closure": closure_panel(
                request.user, task, any_applications=rows["closures"], unit_role=role
            ),
        },
    )
