from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from accounts.roles import person_of

from .access import tasks_visible_to
from .export import responsibility_names, tasks_with_responsibilities
from .filters import TaskFilterSet
from .models import Plan
from .tables import TaskTable, UnitTaskTable


def _plan_or_404(key: str | None) -> Plan:
    if not key:
        plan = Plan.objects.filter(is_active=True).order_by("-year", "pk").first()
        plan = plan or Plan.objects.order_by("-year", "pk").first()
        if plan is None:
            raise Http404("尚未导入任何方案")
        return plan
    try:
        return Plan.objects.by_key(key)
    except (Plan.DoesNotExist, Plan.MultipleObjectsReturned):
        raise Http404("未找到该方案") from None


def _filtered_table(request, plan, table_class, **table_kwargs):
    queryset = tasks_visible_to(request.user, plan.tasks.select_related("section", "plan"))
    filterset = TaskFilterSet(request.GET or None, queryset=queryset, plan=plan)
    table = table_class(filterset.qs, **table_kwargs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return filterset, table


@login_required
def task_list(request):
    """The whole plan for the office and leaders; a unit's own tasks for unit staff."""
    plan = _plan_or_404(request.GET.get("plan"))
    filterset, table = _filtered_table(request, plan, TaskTable)
    return render(
        request,
        "tasks/task_list.html",
        {"plan": plan, "plans": Plan.objects.all(), "filter": filterset, "table": table},
    )


@login_required
def my_tasks(request):
    """A unit's start page: the tasks it leads or cooperates on, with its role in each."""
    unit = person_of(request.user).unit
    if unit is None:
        raise PermissionDenied("仅单位账号可用")
    plan = _plan_or_404(request.GET.get("plan"))
    group_ids = set(unit.groups.values_list("pk", flat=True))
    filterset, table = _filtered_table(request, plan, UnitTaskTable, unit=unit, group_ids=group_ids)
    context = {
        "plan": plan,
        "plans": Plan.objects.all(),
        "filter": filterset,
        "table": table,
        "unit": unit,
    }
    return render(request, "tasks/my_tasks.html", context)


@login_required
def task_detail(request, plan_key: str, number: str):
    plan = _plan_or_404(plan_key)
    visible = tasks_visible_to(request.user, tasks_with_responsibilities(plan))
    # Out of scope and nonexistent look the same: no task is found by guessing its URL.
    task = get_object_or_404(visible.select_related("parent"), number=number)
    leaders, lead_units, cooperating_units = responsibility_names(task)
    children = list(task.children.order_by("sort_order"))
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
        },
    )
