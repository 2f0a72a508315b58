"""Pages of the reporting workflow: the report form, review actions, history, evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.roles import approving_unit, person_of
from common.export import maybe_export
from common.redirects import redirect_next
from common.tables import CountedPageData

from . import clock, head_review, reporting, review, stale, unit_figures
from .access import (
    attachments_visible_to,
    can_edit_indicators,
    can_report,
    can_review,
    reports_visible_to,
    tasks_visible_to,
)
from .attachments import AttachmentError, add_files, remove_attachment, serve_file
from .closure import CLOSED_MESSAGE
from .forms import IndicatorFormSet, ReportForm, ReturnForm, ask_initial
from .lookups import period_or_404, plan_or_404
from .models import ProgressReport, Task
from .periods import parse_period_key
from .report_context import completion_context, expected_at, previous_report

State = ProgressReport.State


def _initial(report: ProgressReport | None, data: reporting.ReportData | None) -> dict:
    if data is None:
        return {"version": report.version if report else 0}
    initial = {
        "progress": data.progress,
        "problems": data.problems,
        "next_steps": data.next_steps,
        "percent": "" if data.percent is None else format(data.percent.normalize(), "f"),
        "version": report.version if report else 0,
        **ask_initial(data.coordination),
    }
    for indicator_id, actual in data.values.items():
        initial[f"indicator_{indicator_id}"] = format(actual.normalize(), "f")
    return initial


def _report_data(report: ProgressReport) -> reporting.ReportData:
    return reporting.ReportData(
        progress=report.progress,
        problems=report.problems,
        next_steps=report.next_steps,
        percent=report.percent,
        values={v.indicator_id: v.actual for v in report.values.all()},
        coordination=report.coordination_ask,
    )


@login_required
def report_form(request, plan_key: str, number: str):
    """A unit's report on one task for one period (this period unless ?period= names another)."""
    plan = plan_or_404(plan_key)
    unit = person_of(request.user).unit
    visible = tasks_visible_to(request.user, plan.tasks.all())
    task = get_object_or_404(visible.select_related("plan", "section"), number=number)
    if task.closed_on is not None:
        raise PermissionDenied(CLOSED_MESSAGE)  # 已办结: no more reports until reopened
    if unit is None or not can_report(request.user, task, unit):
        raise PermissionDenied("无权填报该任务")
    period = period_or_404(plan, request.GET.get("period") or request.POST.get("period"))
    report = _own_report(request.user, task, unit, period)
    indicators = list(task.indicators.all())
    open_periods = reporting.open_periods(plan)
    is_open = period in open_periods
    editable = is_open and (report is None or report.is_editable)
    status, conflict = 200, None
    action = request.POST.get("action", "")
    if request.method == "POST" and editable and action == "copy":
        previous = reporting.previous_report_data(task, unit, period)
        if previous is None:
            messages.info(request, "没有上一期的报告可以复制。")
        else:
            messages.info(request, "已复制上一期的内容，请修改后保存或提交。")
        form = ReportForm(
            initial=_initial(report, previous or (report and _report_data(report))),
            indicators=indicators,
        )
    elif request.method == "POST" and editable and action.startswith("remove:"):
        # Remove one file; what the person typed is shown again as typed (not saved yet).
        try:
            name = remove_attachment(
                user=request.user,
                unit=unit,
                report_id=report.pk if report else None,
                attachment_id=_int_or_none(action.removeprefix("remove:")),
                open_period_keys={p.key for p in open_periods},
            )
        except AttachmentError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, f"已删除附件“{name}”。其他内容尚未保存，请记得保存或提交。")
        report = _own_report(request.user, task, unit, period)
        form = ReportForm(_without_files(request.POST), indicators=indicators)
        form.is_valid()
    elif request.method == "POST":
        form = ReportForm(request.POST, request.FILES, indicators=indicators)
        if form.is_valid():
            submit = action == "submit"
            try:
                report = reporting.save_report(
                    task=task,
                    unit=unit,
                    period=period,
                    user=request.user,
                    data=form.report_data(),
                    expected_version=form.cleaned_data.get("version") or 0,
                    submit=submit,
                    files=form.cleaned_data["attachments"],
                )
            except reporting.ConflictError as error:
                status = 409
                messages.error(request, str(error))
                form = _conflict_form(
                    request, form, _own_report(request.user, task, unit, period), indicators
                )
                report = conflict = _own_report(request.user, task, unit, period)
            except reporting.ReportError as error:
                if error.field in form.fields:  # shown at the field and in the error summary
                    form.add_error(error.field, str(error))
                else:
                    messages.error(request, str(error))
                status = 400
            else:
                messages.success(
                    request, f"任务 {task.number} 的报告已{'提交' if submit else '保存为草稿'}。"
                )
                if submit:
                    unit_figures.warm_unit_page(request.user)  # the page it opens next
                    return redirect("tasks:mine")
                return redirect(f"{request.path}?period={period.key}")
        else:
            messages.error(request, "请按提示修改后再保存。")
            status = 400
    else:
        form = ReportForm(
            initial=_initial(report, report and _report_data(report)), indicators=indicators
        )
    if report is not None and report.state not in (State.DRAFT, State.RETURNED):
        editable = False  # handed in meanwhile (a conflict can find it so)
    context = {
        "plan": plan,
        "task": task,
        "unit": unit,
        "period": period,
        "due": reporting.plan_due_at(plan, period),
        "report": report,
        "form": form,
        "editable": editable,
        "is_open": is_open,
        "closed_message": "" if is_open else reporting.closed_message(plan, period),
        "open_periods": open_periods,
        "conflict": conflict,
        "partner_reports": _partner_reports(request.user, task, unit, period),
        **completion_context(task, unit, period),
    }
    return render(request, "tasks/report_form.html", context, status=status)


def _own_report(user, task, unit, period) -> ProgressReport | None:
    return (
        reports_visible_to(
            user, ProgressReport.objects.filter(task=task, department=unit, period_key=period.key)
        )
        .prefetch_related("values", "attachments")
        .first()
    )


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


def _without_files(data):
    data = data.copy()
    data.pop("attachments", None)
    return data


def _conflict_form(request, form, report, indicators) -> ReportForm:
    """The person's text again, now based on the saved version they see beside it: saving once
    more writes over it (instead of meeting the same conflict again). Their chosen files are
    kept on the report when it is still a draft or returned."""
    files = form.cleaned_data["attachments"]
    if files and report is not None:
        try:
            add_files(report, request.user, files)
        except AttachmentError as error:
            messages.error(request, str(error))
        else:
            messages.info(request, f"您选择的 {len(files)} 个附件已保存到报告中。")
    data = _without_files(request.POST)
    data["version"] = str(report.version if report else 0)
    rebased = ReportForm(data, indicators=indicators)
    rebased.is_valid()
    return rebased


def _partner_reports(user, task: Task, unit, period):
    """What the other units reported on the task this period (the lead unit writes with these)."""
    handed_in = ProgressReport.objects.filter(
        task=task,
        period_key=period.key,
        state__in=State.COUNTED,
    )
    return list(
        reports_visible_to(user, handed_in)
        .exclude(department=unit)
        .select_related("department")
        .order_by("role", "department__sort_order")
    )


def _report_in_scope(request, report_id: int) -> ProgressReport:
    """The report if this person may read it (tasks.access); else 404, as if there were none."""
    readable = reports_visible_to(request.user).select_related("task__plan", "department")
    return get_object_or_404(readable, pk=report_id)


@login_required
@require_POST
def report_action(request, report_id: int, action: str):
    report = _report_in_scope(request, report_id)
    try:
        if action == "approve":
            reporting.approve(report, request.user)
            messages.success(request, "已审核通过，报送督查室。")
        elif action == "accept":
            reporting.accept(report, request.user)
            messages.success(request, "已采纳。")
        elif action == "return":
            form = ReturnForm(request.POST)
            reason = form.data.get("reason", "")
            reporting.return_report(report, request.user, reason)
            messages.success(request, "已退回，并通知填报单位。")
        else:
            raise Http404("未知操作")
    except reporting.ReportError as error:
        messages.error(request, str(error))
    return redirect_next(request, request.POST.get("next"), "tasks:review")


@login_required
def report_history(request, report_id: int):
    report = _report_in_scope(request, report_id)
    events = list(report.events.select_related("actor").order_by("-at", "-pk"))
    period = parse_period_key(report.period_key)
    previous = previous_report(request.user, report.task, report.department, period)
    return render(
        request,
        "tasks/report_history.html",
        {
            "report": report,
            "period": period,
            "expected": expected_at(report.task, period),
            "previous": previous,
            "previous_label": previous and parse_period_key(previous.period_key).short_label,
            "events": events,
            "stale": stale.verdicts([report]).get(report.pk),  # 与上期基本相同 (tasks.stale)
            # What this person may do with the report now (tasks.reporting decides).
            "may_approve": reporting.may_approve(request.user, report),
            "may_accept": reporting.may_accept(request.user, report),
            "may_return": reporting.may_return(request.user, report),
        },
    )


@login_required
def attachment_download(request, attachment_id: int):
    readable = attachments_visible_to(request.user).select_related("report__task")
    attachment = get_object_or_404(readable, pk=attachment_id)
    return serve_file(attachment)


@login_required
def review_queue(request):
    """Heads: their unit's submissions to approve. Office: submissions to accept or return."""
    if can_review(request.user):
        # A closed task's (已办结) reports leave the office's queue, as every to-do.
        queryset = ProgressReport.objects.filter(
            state__in=State.ACCEPTABLE, task__closed_on__isnull=True
        )
    elif approving_unit(request.user) is not None:
        return head_review.queue_page(request)
    else:
        raise PermissionDenied("仅单位负责人和督查室可用")
    queryset = reports_visible_to(request.user, queryset)
    queryset = queryset.select_related("task__plan", "department").order_by("period_start", "pk")
    # Only the office is left here (heads went to their own queue): filters and batch 采纳.
    filterset = review.ReviewFilterSet(
        request.GET or None, queryset=queryset, periods=review.queued_periods(queryset)
    )
    context = {"filter": filterset}
    # The page and the count of the queue in one query (common.tables.CountedPageData);
    # configured once, below (a request passed to the table would paginate it twice).
    table = review.OfficeReviewTable(CountedPageData(filterset.qs))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "待审阅报告", as_of=clock.today()):
        return exported
    return render(request, "tasks/review_queue.html", {"table": table, **context})


@login_required
@require_POST
def accept_batch(request):
    """批量采纳: the checked reports of the office's queue, in one transaction."""
    if not can_review(request.user):
        raise PermissionDenied("只有督查室可以采纳")
    ids = [v for v in request.POST.getlist("reports") if v.strip().isdigit()]
    if not ids:
        messages.error(request, "请至少选择一份报告。")
        return redirect_next(request, request.POST.get("next"), "tasks:review")
    result = review.accept_many(request.user, ids)
    (messages.success if not result.skipped else messages.warning)(request, result.text)
    return redirect_next(request, request.POST.get("next"), "tasks:review")


@login_required
def edit_indicators(request, plan_key: str, number: str):
    if not can_edit_indicators(request.user):
        raise PermissionDenied("仅督查室可以修改指标")
    plan = plan_or_404(plan_key)
    task = get_object_or_404(plan.tasks, number=number)
    if task.closed_on is not None:
        raise PermissionDenied(CLOSED_MESSAGE)  # 已办结: the office reopens it first
    formset = IndicatorFormSet(request.POST or None, instance=task)
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                for form in formset.forms:
                    if form.has_changed() and not form.cleaned_data.get("DELETE"):
                        form.instance.edited_by_office = True
                formset.save()
            messages.success(request, "指标已保存。")
            return redirect(task.get_absolute_url())
        messages.error(request, "请按提示修改后再保存。")
    return render(
        request,
        "tasks/indicators_form.html",
        {"task": task, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )
