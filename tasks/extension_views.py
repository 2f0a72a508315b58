"""Pages of deadline extensions (延期申请): apply on a task, one application's page with its
deciding forms, the decision itself. The workflow and its rules are tasks.extensions; the list
for the office is tasks.extension_list.

URL names (stable; the issue-16 browser walk uses them):
    tasks:extension_apply   <plan>/<number>/extension/          GET form, POST apply
    tasks:extension         extensions/<id>/                      one application
    tasks:extension_decide  extensions/<id>/<approve|refuse>/     POST (step, note)
    tasks:extensions        extensions/                           the list (office, heads…)
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import audit, extensions
from .access import tasks_visible_to
from .extension_forms import ApplyForm
from .lookups import plan_or_404
from .models import ExtensionApplication, TaskNode

DECISIONS = {"approve": True, "refuse": False}


def _task_or_404(request, plan_key: str, number: str):
    plan = plan_or_404(plan_key)
    visible = tasks_visible_to(request.user, plan.tasks.select_related("plan"))
    return get_object_or_404(visible, number=number)


def _application_or_404(request, application_id: int) -> ExtensionApplication:
    """An application of a task this person may read; any other id is not found."""
    visible = ExtensionApplication.objects.filter(task__in=tasks_visible_to(request.user))
    return get_object_or_404(
        visible.select_related("task__plan", "node", "unit", "applicant"), pk=application_id
    )


def _nodes(task):
    return list(TaskNode.objects.filter(task=task).order_by("due", "pk"))


@login_required
def apply(request, plan_key: str, number: str):
    task = _task_or_404(request, plan_key, number)
    if extensions.applying_unit(request.user, task) is None:
        raise PermissionDenied("只有本任务的牵头单位可以申请延期。")
    form = ApplyForm(request.POST or None, nodes=_nodes(task))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                extensions.apply(
                    task=task,
                    user=request.user,
                    node_id=data["node"],
                    requested_date=data["requested_date"],
                    reason=data["reason"],
                    year_note=data["year_note"],
                )
            except extensions.ExtensionError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, "延期申请已提交，等待审核。")
                return redirect(task.get_absolute_url() + "#extension")
        status = 400
    current = extensions.current_of(task, None)
    return render(
        request,
        "tasks/extension_apply.html",
        {"task": task, "form": form, "current": current},
        status=status,
    )


def _detail(request, application, *, error: str = "", status: int = 200):
    return render(
        request,
        "tasks/extension_detail.html",
        {
            "application": application,
            "task": application.task,
            "trail": audit.trail_of(application),
            "may_decide": extensions.may_decide(request.user, application),
            "error": error,
        },
        status=status,
    )


@login_required
def detail(request, application_id: int):
    return _detail(request, _application_or_404(request, application_id))


@login_required
@require_POST
def decide(request, application_id: int, decision: str):
    if decision not in DECISIONS:
        raise Http404("未知操作")
    application = _application_or_404(request, application_id)
    try:
        decided = extensions.decide(
            application,
            request.user,
            approve=DECISIONS[decision],
            note=request.POST.get("note", ""),
            shown_state=request.POST.get("step", ""),
        )
    except extensions.ExtensionError as error:
        application.refresh_from_db()
        return _detail(request, application, error=str(error), status=400)
    messages.success(request, f"已处理：{decided.get_state_display()}。")
    return redirect("tasks:extension", decided.pk)
