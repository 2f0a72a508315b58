from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Q, Value, When
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.export import export_bytes, maybe_export, xlsx_response

from . import audit, clock, node_plans, reporting, revision, todo
from .access import can_edit_indicators, can_report, reports_visible_to, tasks_visible_to
from .closure_panel import panel as closure_panel
from .duties import plan_duties
from .export import responsibility_names, tasks_with_responsibilities
from .extension_panel import extension_panel
from .filters import TaskFilterSet
from .history import indicator_charts, timeline_for
from .lookups import period_or_404, plan_or_404
from .models import Plan, ProgressReport
from .periods import plan_periods
from .plan_table import PlanTaskFilterSet, PlanTaskTable
from .progress import plan_task_states
from .tables import UnitTodoTable


def _filtered_table(request, plan, table_class, **table_kwargs):
    queryset = tasks_visible_to(request.user, plan.tasks.select_related("section", "plan"))
    filterset = TaskFilterSet(request.GET or None, queryset=queryset, plan=plan)
    table = table_class(filterset.qs, **table_kwargs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return filterset, table


@login_required
def task_list(request):
    """The whole plan for the office and leaders; a unit's own tasks for unit staff: each
    task's status, 完成/序时 and latest report as of today, filtered and sorted on them."""
    plan = plan_or_404(request.GET.get("plan"))
    as_of = reporting.as_of_date(plan)
    states = plan_task_states(plan, as_of)
    queryset = tasks_visible_to(request.user, plan.tasks.select_related("section", "plan"))
    filterset = PlanTaskFilterSet(request.GET or None, queryset=queryset, plan=plan, states=states)
    table = PlanTaskTable(filterset.qs, states=states)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if request.GET.get("_export") == "xlsx":
        # The file is the rows (ids, in the order shown) and their plan data (tasks, leaders,
        # units) as of the day: remembered under those until the data revision moves.
        title = f"{plan.year}年任务清单"
        ids = tuple(table.data.data.values_list("pk", flat=True))
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
            "plans": Plan.objects.all(),
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
    plan = plan_or_404(request.GET.get("plan"))
    period = period_or_404(plan, request.GET.get("period"))
    as_of = min(period.end, reporting.as_of_date(plan))
    queryset = tasks_visible_to(request.user, plan.tasks.select_related("section", "plan"))
    open_periods = reporting.open_periods(plan)
    # One query: the unit's reports of the period shown and of every period still open.
    keys = {period.key, *(p.key for p in open_periods)}
    by_period = {
        (r.period_key, r.task_id): r
        for r in reports_visible_to(
            request.user,
            ProgressReport.objects.filter(
                department=unit, period_key__in=keys, task__plan=plan
            ).annotate(task_closed_on=F("task__closed_on")),
        )
    }
    reports = {task_id: r for (key, task_id), r in by_period.items() if key == period.key}
    owed = {
        task_id
        for task_id, duties in plan_duties(plan, period).items()
        if any(department_id == unit.pk for department_id, _ in duties)
    }
    show_optional = request.GET.get("optional") == "1"
    if not show_optional:
        # The to-do lists what the unit owes, plus anything it has already started, and its
        # closed tasks (已办结 with their date; they owe nothing).
        queryset = queryset.filter(Q(pk__in=owed | set(reports)) | Q(closed_on__isnull=False))
    filterset = TaskFilterSet(request.GET or None, queryset=queryset, plan=plan)
    table = UnitTodoTable(
        _by_need(filterset.qs, reports),
        unit=unit,
        group_ids=set(unit.groups.values_list("pk", flat=True)),
        states=plan_task_states(plan, as_of),
        reports=reports,
        owed=owed,
        period=period,
        due=reporting.plan_due_at(plan, period),
        can_write=period in open_periods,
        order_by=("report_state",),  # what needs action first (?sort= still wins)
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, f"我的任务-{period.key}", as_of=as_of):
        return exported
    context = {
        "plan": plan,
        "plans": Plan.objects.all(),
        "filter": filterset,
        "table": table,
        "unit": unit,
        "period": period,
        "periods": plan_periods(plan.year, plan.cycle),
        "due": reporting.plan_due_at(plan, period),
        "counts": _state_counts([r for r in reports.values() if r.task_id in owed], len(owed)),
        "show_optional": show_optional,
        "todo": _todo(plan, open_periods, owed, by_period, period),
    }
    return render(request, "tasks/my_tasks.html", context)


def _by_need(queryset, reports: dict):
    """Tasks ranked by what their report of the period needs (todo.ROW_RANK), for sorting."""
    ranks = {}
    for task_id, report in reports.items():
        ranks.setdefault(todo.ROW_RANK[report.state], []).append(task_id)
    unreported = todo.ROW_RANK[None]
    whens = [When(pk__in=ids, then=Value(rank)) for rank, ids in sorted(ranks.items())]
    need = Case(*whens, default=Value(unreported)) if whens else Value(unreported)
    return queryset.annotate(need=need)


TODO_SHOWN = 10  # items of each kind listed in the 待办 block (the rest are counted)


def _todo(plan, open_periods, owed: set[int], by_period: dict, shown_period) -> dict:
    """The 待办 block: returned, drafts, overdue, not started, across the open periods."""
    due = {p.key: reporting.plan_due_at(plan, p) for p in open_periods}
    closed = {task_id for (_, task_id), r in by_period.items() if r.task_closed_on is not None}
    items = todo.todo_items(
        periods=open_periods,
        due=due,
        owed=owed,
        reports=by_period,
        now=clock.now(),
        closed=closed,
    )
    kinds = {kind: [i for i in items if i.kind == kind] for kind in todo.KINDS}
    shown = [item for kind in todo.KINDS for item in kinds[kind][:TODO_SHOWN]]
    # Always one query (-1 names no task), so the page's count is the same with nothing to do.
    ids = sorted({i.task_id for i in shown}) or [-1]
    tasks = {t.pk: t for t in plan.tasks.filter(pk__in=ids)}
    groups = [
        {
            "kind": kind,
            "label": todo.LABELS[kind],
            "count": len(kinds[kind]),
            "more": max(0, len(kinds[kind]) - TODO_SHOWN),
            "items": [
                {"item": i, "task": tasks[i.task_id]}
                for i in sorted(
                    kinds[kind][:TODO_SHOWN],
                    key=lambda i: (i.period.start, tasks[i.task_id].sort_order),
                )
            ],
        }
        for kind in todo.KINDS
        if kinds[kind]
    ]
    elsewhere = sum(1 for i in kinds[todo.RETURNED] if i.period != shown_period)
    return {"groups": groups, "total": len(items), "returned_elsewhere": elsewhere}


def _state_counts(reports, total: int) -> dict:
    counts = {"total": total, "none": total}
    for report in reports:
        counts[report.state] = counts.get(report.state, 0) + 1
        counts["none"] -= 1
    return counts


@login_required
def task_detail(request, plan_key: str, number: str):
    plan = plan_or_404(plan_key)
    visible = tasks_visible_to(request.user, tasks_with_responsibilities(plan))
    # Out of scope and nonexistent look the same: no task is found by guessing its URL.
    task = get_object_or_404(visible.select_related("parent", "plan"), number=number)
    leaders, lead_units, cooperating_units = responsibility_names(task)
    children = list(task.children.order_by("sort_order"))
    period = period_or_404(plan, request.GET.get("period"))
    as_of = min(period.end, reporting.as_of_date(plan))
    state = plan_task_states(plan, as_of).get(task.pk)  # None: a heading (tasks.reportable)
    unit = person_of(request.user).unit
    timeline = timeline_for(
        task, user=request.user, as_of=as_of, history_page=request.GET.get("history")
    )
    return render(
        request,
        "tasks/task_detail.html",
        {
            "plan": plan,
            "task": task,
            "children": children,
            "lead_leaders": leaders,
            "lead_units": lead_units,
            "cooperating_units": cooperating_units,
            "period": period,
            "periods": plan_periods(plan.year, plan.cycle),
            "state": state,
            "timeline": timeline,
            "trail": audit.trail(task, limit=50),
            "nodes": node_plans.task_section(task, state, request.user) if state else None,
            "extension": extension_panel(request.user, task),
            "charts": revision.memo(
                "task-charts",
                (task.pk, as_of),
                lambda: indicator_charts(task, state, as_of),
                plan=task.plan_id,
            )
            if state
            else [],
            "can_report": unit is not None and can_report(request.user, task, unit),
            "can_edit_indicators": can_edit_indicators(request.user),
            "closure": closure_panel(request.user, task),
        },
    )
