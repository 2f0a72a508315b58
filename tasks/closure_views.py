"""Pages of 办结申请 / 销号: apply, verify or return, confirm, reopen, evidence, the office's list.

Thin views: the rules are in tasks.closure. A refused step answers 400 with the reason in
Chinese (so the one-time token is given back and a corrected form can be sent); a person who
never decides here gets 403; an application or task out of the person's scope is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import person_of

from . import closure
from .access import leads_task, tasks_visible_to
from .attachments import serve_file
from .forms import ClosureForm, ReasonForm
from .lookups import plan_or_404
from .models import ClosureApplication, ClosureEvidence, Task

State = ClosureApplication.State


def _task_in_scope(request, plan_key: str, number: str) -> Task:
    plan = plan_or_404(plan_key)
    visible = tasks_visible_to(request.user, plan.tasks.select_related("plan"))
    return get_object_or_404(visible, number=number)


def _application_in_scope(request, application_id: int) -> ClosureApplication:
    visible = tasks_visible_to(request.user)
    return get_object_or_404(
        ClosureApplication.objects.filter(task__in=visible).select_related("task__plan"),
        pk=application_id,
    )


def _refused(request, task: Task, error: str, form=None, status: int = 400):
    return render(
        request,
        "tasks/closure_refused.html",
        {"task": task, "error": error, "form": form},
        status=status,
    )


@login_required
@require_POST
def apply(request, plan_key: str, number: str):
    task = _task_in_scope(request, plan_key, number)
    if closure.applying_unit(request.user, task) is None:
        raise PermissionDenied("只有该任务的牵头单位可以申请办结。")
    form = ClosureForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        return _refused(request, task, "；".join(errors), form=form)
    try:
        closure.apply(
            task, request.user, form.cleaned_data["summary"], form.cleaned_data["attachments"]
        )
    except closure.ClosureError as error:
        return _refused(request, task, str(error), form=form)
    messages.success(request, "办结申请已提交，等待督查室审核。")
    return redirect(task.get_absolute_url() + "#closure")


def _decider(request, application: ClosureApplication) -> None:
    """Only the office and the task's lead leaders ever decide; anyone else is refused (403)."""
    person = person_of(request.user)
    if person.is_office:
        return
    if person.leader is not None and leads_task(request.user, application.task):
        return
    raise PermissionDenied("您无权办理办结申请。")


@login_required
@require_POST
def approve(request, application_id: int):
    application = _application_in_scope(request, application_id)
    _decider(request, application)
    try:
        done = closure.approve(application.pk, request.user)
    except closure.ClosureError as error:
        return _refused(request, application.task, str(error))
    if done.state == State.CLOSED:
        messages.success(request, "已销号，任务已办结。")
    else:
        messages.success(request, "已审核通过，待牵头领导确认。")
    return redirect(application.task.get_absolute_url() + "#closure")


@login_required
@require_POST
def send_back(request, application_id: int):
    application = _application_in_scope(request, application_id)
    _decider(request, application)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        closure.send_back(application.pk, request.user, reason)
    except closure.ClosureError as error:
        return _refused(request, application.task, str(error))
    messages.success(request, "已退回重办，并通知牵头单位。")
    return redirect(application.task.get_absolute_url() + "#closure")


@login_required
@require_POST
def reopen(request, plan_key: str, number: str):
    task = _task_in_scope(request, plan_key, number)
    if not closure.can_reopen(request.user):
        raise PermissionDenied("只有督查室可以重新打开已办结的任务。")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        closure.reopen(task, request.user, reason)
    except closure.ClosureError as error:
        return _refused(request, task, str(error))
    messages.success(request, "任务已重新打开，牵头单位可继续报送。")
    return redirect(task.get_absolute_url() + "#closure")


@login_required
def evidence_download(request, file_id: int):
    readable = ClosureEvidence.objects.filter(application__task__in=tasks_visible_to(request.user))
    evidence = get_object_or_404(readable, pk=file_id)
    return serve_file(evidence)


@login_required
def pending_list(request):
    """The office's list of pending closure applications (a leader's: those awaiting him)."""
    person = person_of(request.user)
    plan = plan_or_404(request.GET.get("plan"))
    applications = closure.pending_applications(plan)
    if not person.is_office:
        if person.leader is None:
            raise PermissionDenied("办结申请列表仅供督查室和牵头领导查看。")
        applications = applications.filter(
            state=State.LEADER, task__leader_links__leader=person.leader
        )
    return render(
        request,
        "tasks/closure_list.html",
        {"plan": plan, "applications": list(applications), "is_office": person.is_office},
    )
