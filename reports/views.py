from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts import throttle
from accounts.roles import person_of, start_url
from common.export import maybe_export
from departments.models import Department, RoleChange
from tasks import reporting
from tasks.models import Plan
from tasks.periods import parse_period_key, plan_periods

from . import jobs
from .models import ReportJob, WeeklySnapshot
from .rollup import workbook_path
from .tables import SnapshotTable


def can_read_reports(user) -> bool:
    """The office runs the reports; leaders read them."""
    person = person_of(user)
    return person.is_office or person.leader is not None


@login_required
def home(request):
    """`/`: the office's dashboard; everybody else goes to his or her own start page."""
    if not person_of(request.user).is_office:
        return redirect(start_url(request.user))
    plans = Plan.objects.annotate(task_count=Count("tasks")).order_by("-year", "slug")
    context = {
        "plans": plans,
        "department_count": Department.objects.filter(is_active=True).count(),
        "account_count": get_user_model().objects.filter(is_active=True).count(),
        "locks": throttle.current_locks(),
        "role_changes": RoleChange.objects.select_related("user", "changed_by")[:10],
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def report_list(request):
    if not can_read_reports(request.user):
        raise PermissionDenied("仅督查室和区领导可查看周报")
    table = SnapshotTable(WeeklySnapshot.objects.select_related("plan"))
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    if exported := maybe_export(request, table, "周报列表"):
        return exported
    plans = list(Plan.objects.filter(is_active=True))
    choices = [
        (plan, plan_periods(plan.year, plan.cycle), reporting.current_period(plan))
        for plan in plans
    ]
    recent_jobs = ReportJob.objects.select_related("plan", "requested_by")[:10]
    return render(
        request,
        "reports/report_list.html",
        {
            "table": table,
            "choices": choices,
            "jobs": recent_jobs,
            "can_generate": person_of(request.user).is_office,
        },
    )


@login_required
@require_POST
def generate(request):
    if not person_of(request.user).is_office:
        raise PermissionDenied("仅督查室可以生成周报")
    plan = get_object_or_404(Plan, pk=request.POST.get("plan"))
    try:
        period = parse_period_key(request.POST.get("period", ""), plan.cycle)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("reports:list")
    job = jobs.request_roll_up(plan, period.key, request.user)
    messages.info(request, f"已开始生成 {plan.year}年 {period.label} 周报。")
    return redirect("reports:job", job_id=job.pk)


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
                "download": (
                    reverse("reports:download", args=[job.snapshot_id])
                    if job.snapshot_id and job.state == "done"
                    else ""
                ),
            }
        )
    return render(request, "reports/job_status.html", {"job": job})


@login_required
def download(request, snapshot_id: int):
    if not can_read_reports(request.user):
        raise PermissionDenied("仅督查室和区领导可查看周报")
    snapshot = get_object_or_404(WeeklySnapshot.objects.select_related("plan"), pk=snapshot_id)
    path = workbook_path(snapshot.plan, parse_period_key(snapshot.period_key))
    if not path.exists():
        raise Http404("文件尚未生成")
    filename = f"{snapshot.plan.year}年督查周报-{snapshot.period_key}.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)
