import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.roles import can_generate_reports, can_read_reports, can_use_dashboard, start_url
from common.charts import LIGHT_COLORS, bar_chart, donut_chart
from common.export import maybe_export
from tasks import clock, reporting
from tasks.lookups import kept_plan_or_404, period_or_404
from tasks.models import Plan
from tasks.periods import parse_period_key, period_label, plan_periods
from tasks.status import Status

from . import dashboard_queries, jobs
from .dashboard_figures import summary_counts
from .models import ReportJob, WeeklySnapshot
from .overview import dashboard_period
from .rollup import workbook_path
from .tables import SnapshotTable


class GenerateForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.all())
    period = forms.CharField(
        max_length=10,
        error_messages={"max_length": "期次格式应为 2022-W20", "required": "请选择期次"},
    )


# 未报送 is red like 严重滞后 but drawn apart from it (static/css/app.css: --purple).
NOT_REPORTED_COLOR = "#6639ba"


def status_color(status: Status) -> str:
    return NOT_REPORTED_COLOR if status == Status.NOT_REPORTED else LIGHT_COLORS[status.light]


UNITS_SHOWN = 10  # per-unit rates: the worst ten, the rest behind 全部


@login_required
def home(request):
    """`/`: the office's dashboard; everybody else goes to his or her own start page.

    It opens on the period that matters (overview.dashboard_period): last period's final
    figures until this period's reports are due, with a switch to the other one. Reports not
    due yet are 待报, never 逾期未报."""
    if not can_use_dashboard(request.user):
        return redirect(start_url(request.user))
    plans = dashboard_queries.plans()
    if not plans:
        return render(request, "reports/dashboard.html", {"plan": None})
    key = request.GET.get("plan") or plans[0]["slug"]
    if not any(p["slug"] == key for p in plans):
        raise Http404("未找到该方案")
    plan = kept_plan_or_404(key)
    now = clock.now()  # the page's one "now": as_of, due and the switch all follow it
    today = now.date()
    if request.GET.get("period"):
        period = period_or_404(plan, request.GET.get("period"), today)
    else:
        period = dashboard_period(plan, now)
    current = reporting.current_period(plan, today)
    due_at = reporting.plan_due_at(plan, period)
    live = dashboard_queries.live(plan, period, today, now)
    figures, report_counts = summary_counts(plan, period, today, live.owed)
    counts = dict(zip(Status, figures.status_counts, strict=True))
    units = figures.units
    missing = figures.report_counts["missing"]
    due_passed = now >= due_at
    context = {
        "plan": plan,
        "plans": plans,
        "period": period,
        "periods": [p for p in _plan_periods(plan.year, plan.cycle) if p <= current],
        "switch": _switch(plan, period, current, now),
        "due_text": f"{timezone.localtime(due_at):%-m月%-d日 %H:%M}",  # as date:"n月j日 H:i"
        "due_passed": due_passed,
        "is_future": reporting.is_future(plan, period, today),
        "counts": report_counts,
        "received": figures.received,
        "pending": 0 if due_passed else missing,
        "overdue": missing if due_passed else 0,
        "rate": figures.rate,
        "status_counts": list(counts.items()),
        "units_worst": units[:UNITS_SHOWN],
        "units_rest": units[UNITS_SHOWN:],
        "lagging": figures.lagging,
        "lagging_total": figures.lagging_total,
        "missing_units": figures.missing_units,
        "changes": figures.changes,
        "sections": figures.sections,
        "statuses": list(Status),
        "charts": [
            mark_safe(
                donut_chart(
                    [(s.label, counts[s], status_color(s)) for s in Status if counts[s]],
                    title="任务状态分布",
                    center_text=f"{figures.task_count} 项",
                )
            ),
            mark_safe(
                bar_chart(
                    [(u.name, u.rate) for u in units[:15]],
                    title=f"报送率最低的 15 个单位（第{period.index}{'周' if period.cycle == 'weekly' else '月'}）",
                    unit="%",
                    max_value=100,
                )
            ),
        ],
        "stale_reports": figures.stale,  # 进展停滞
        "stale_total": figures.stale_total,
        "coordination_counts": live.coordination,  # 需协调事项
        "locks": live.locks,
        "role_changes": live.role_changes,
    }
    return render(request, "reports/dashboard.html", context)


_plan_periods = functools.lru_cache(maxsize=32)(plan_periods)  # pure (and Period is frozen)


def _switch(plan, period, current, now) -> list[dict]:
    """The two periods the office moves between: last period and this one."""
    found = []
    for other, word in ((current.previous(), "上期"), (current, "本期")):
        due = reporting.plan_due_at(plan, other)
        found.append(
            {
                "period": other,
                "word": word,
                "label": period_label(other),
                "note": "已截止" if now >= due else f"{due:%-m月%-d日 %H:%M} 截止",
                "active": other == period,
            }
        )
    return found


def listed_snapshots(user):
    """The workbooks a person may list: leaders never see one of a period not begun yet (one
    made before that was refused is kept for the office, who can see it was made too early)."""
    snapshots = WeeklySnapshot.objects.select_related("plan")
    if can_generate_reports(user):
        return snapshots
    future = Q()
    for plan in Plan.objects.all():
        future |= Q(plan=plan, period_key__gt=reporting.current_period(plan).key)
    return snapshots.exclude(future) if future else snapshots


@login_required
def report_list(request):
    if not can_read_reports(request.user):
        raise PermissionDenied("仅督查室和区领导可查看周报")
    table = SnapshotTable(listed_snapshots(request.user))
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    if exported := maybe_export(request, table, "周报列表", as_of=clock.today()):
        return exported
    plans = list(Plan.objects.filter(is_active=True))
    # Periods not begun yet are not offered (and refused if posted: 尚未开始).
    choices = [
        (plan, [p for p in plan_periods(plan.year, plan.cycle) if p <= current], current)
        for plan in plans
        for current in [reporting.current_period(plan)]
    ]
    recent_jobs = ReportJob.objects.select_related("plan", "requested_by")[:10]
    return render(
        request,
        "reports/report_list.html",
        {
            "table": table,
            "choices": choices,
            "jobs": recent_jobs,
            "can_generate": can_generate_reports(request.user),
        },
    )


@login_required
@require_POST
def generate(request):
    if not can_generate_reports(request.user):
        raise PermissionDenied("仅督查室可以生成周报")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        if "plan" in form.errors:
            raise Http404("未找到该方案")
        messages.error(request, "；".join(form.errors["period"]))
        return redirect("reports:list")
    plan = form.cleaned_data["plan"]
    try:
        period = parse_period_key(form.cleaned_data["period"], plan.cycle)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("reports:list")
    if refused := reporting.refuse_future(plan, period, "周报"):
        return render(request, "reports/refused.html", {"error": refused}, status=400)
    job = jobs.request_roll_up(plan, period.key, request.user)
    return _queued_or_unavailable(request, job, f"已开始生成{period_label(period)}周报。")


def _queued_or_unavailable(request, job: ReportJob, started: str):
    """The job's page; 503 with the reason when the message could not be sent."""
    if job.state == ReportJob.State.FAILED and job.last_error == jobs.QUEUE_DOWN_MESSAGE:
        messages.error(request, jobs.QUEUE_DOWN_MESSAGE)
        context = {"job": job, "can_retry": True}
        return render(request, "reports/job_status.html", context, status=503)
    if job.requested_by_id != request.user.pk or job.state != ReportJob.State.QUEUED:
        messages.info(request, f"{period_label(job.period_key)}周报已在生成中，未重复提交。")
    else:
        messages.info(request, started)
    return redirect("reports:job", job_id=job.pk)


@login_required
@require_POST
def retry(request, job_id: int):
    """重试: queue a failed job again (the office)."""
    if not can_generate_reports(request.user):
        raise PermissionDenied("仅督查室可以生成周报")
    job = get_object_or_404(ReportJob, pk=job_id)
    if job.state != ReportJob.State.FAILED:
        messages.info(request, f"该任务{job.get_state_display()}，无需重试。")
        return redirect("reports:job", job_id=job.pk)
    job = jobs.retry_roll_up(job)
    return _queued_or_unavailable(
        request, job, f"已重新开始生成{period_label(job.period_key)}周报。"
    )


@login_required
def job_status(request, job_id: int):
    """The progress of a job: a page that refreshes itself, or JSON for the progress bar."""
    if not can_read_reports(request.user):
        raise PermissionDenied("仅督查室和区领导可查看周报")
    job = get_object_or_404(ReportJob.objects.select_related("plan", "snapshot"), pk=job_id)
    if (
        request.headers.get("Accept", "").startswith("application/json")
        or request.GET.get("format") == "json"
    ):
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "progress": job.progress,
                "error": job.last_error,
                "download": job_download_url(job),
            }
        )
    return render(
        request,
        "reports/job_status.html",
        {
            "job": job,
            "download": job_download_url(job),
            "can_retry": can_generate_reports(request.user),
        },
    )


def job_download_url(job: ReportJob) -> str:
    """The finished job's file: the week's workbook, or the issued bulletin."""
    if job.state != ReportJob.State.DONE:
        return ""
    if job.kind == ReportJob.Kind.BULLETIN:
        return (
            reverse("reports:bulletin_download", args=[job.bulletin_id]) if job.bulletin_id else ""
        )
    return reverse("reports:download", args=[job.snapshot_id]) if job.snapshot_id else ""


@login_required
def download(request, snapshot_id: int):
    if not can_read_reports(request.user):
        raise PermissionDenied("仅督查室和区领导可查看周报")
    snapshot = get_object_or_404(listed_snapshots(request.user), pk=snapshot_id)
    path = workbook_path(snapshot.plan, parse_period_key(snapshot.period_key))
    if not path.exists():
        raise Http404("文件尚未生成")
    filename = f"{snapshot.plan.year}年督查周报-{snapshot.period_key}.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)
