"""Pages of the 督查通报: the archive and picker, the preview and issue form, the download.

Who may do what comes from accounts.roles (can_issue_bulletins, can_read_bulletins): the
office previews and issues; leaders and units read and download issued bulletins. Every
query and form value is checked here before it reaches the database (4xx, never 5xx).
"""

import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import can_issue_bulletins, can_read_bulletins
from tasks import reporting
from tasks.models import Plan
from tasks.periods import MONTHLY, WEEKLY

from . import bulletin_archive
from .bulletin import bulletin_choices, bulletin_period
from .bulletin_doc import HEADINGS, closing_lines, indicator_rows, lagging_rows
from .models import Bulletin

_SLUG = re.compile(r"[-\w]{1,50}", re.ASCII)
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _plan(value) -> Plan:
    if value and _SLUG.fullmatch(value):
        plan = Plan.objects.filter(slug=value).first()
        if plan is not None:
            return plan
    if not value:
        plan = Plan.objects.order_by("-is_active", "-year", "slug").first()
        if plan is not None:
            return plan
    raise Http404("未找到该方案")


def _period(plan, kind, key):
    if not isinstance(key, str) or len(key) > 10 or kind not in ("weekly", "monthly"):
        raise ValueError("期间格式应为 2022-W20（周）或 2022-05（月）")
    return bulletin_period(plan, kind, key)


@login_required
def bulletin_list(request):
    """Issued bulletins, newest first; for the office also the drafts and the period picker."""
    if not can_read_bulletins(request.user):
        raise PermissionDenied("无权查看督查通报")
    office = can_issue_bulletins(request.user)
    issued = Bulletin.objects.filter(state=Bulletin.State.ISSUED).select_related("plan")
    context = {
        "issued": issued.order_by("-plan__year", "plan__slug", "-number")[:200],
        "can_issue": office,
    }
    if office:
        plans = list(Plan.objects.order_by("-is_active", "-year", "slug"))
        context["plans"] = [(plan, bulletin_choices(plan)) for plan in plans]
        context["drafts"] = Bulletin.objects.filter(state=Bulletin.State.DRAFT).select_related(
            "plan"
        )
    return render(request, "reports/bulletin_list.html", context)


def _preview_context(plan, period, form, *, confirm_needed=False, earlier=()):
    content = bulletin_archive.content_for(plan, period, form)
    return {
        "plan": plan,
        "period": period,
        "form": form,
        "content": content,
        "headings": HEADINGS,
        "indicator_rows": indicator_rows(content),
        "lagging_rows": lagging_rows(content),
        "closing_lines": closing_lines(content),
        "token": secrets.token_hex(16),
        "confirm_needed": confirm_needed,
        "earlier": list(earlier),
    }


@login_required
def bulletin_preview(request):
    """The bulletin as HTML, with the form to edit 期号, 下步要求, 抄送/报送 and issue it."""
    if not can_issue_bulletins(request.user):
        raise PermissionDenied("仅督查室可以签发督查通报")
    plan = _plan(request.GET.get("plan"))
    kind = request.GET.get("kind") or (WEEKLY if plan.cycle == WEEKLY else MONTHLY)
    key = request.GET.get("period") or reporting.current_period(plan).key
    if request.GET.get("choice"):  # the picker's one select: "weekly|2022-W20"
        kind, _, key = request.GET["choice"].partition("|")
    try:
        period = _period(plan, kind, key)
    except ValueError as error:
        return render(request, "reports/bulletin_error.html", {"error": str(error)}, status=400)
    draft = Bulletin.objects.filter(
        plan=plan, kind=period.kind, period_key=period.key, state=Bulletin.State.DRAFT
    ).first()
    form = bulletin_archive.default_form(plan, draft)
    context = _preview_context(
        plan, period, form, earlier=bulletin_archive.issued_for(plan, period)
    )
    return render(request, "reports/bulletin_preview.html", context)


@login_required
@require_POST
def bulletin_issue(request):
    """Issue: number it and queue the job. A second bulletin for one period is asked first."""
    if not can_issue_bulletins(request.user):
        raise PermissionDenied("仅督查室可以签发督查通报")
    plan = _plan(request.POST.get("plan"))
    try:
        period = _period(plan, request.POST.get("kind") or WEEKLY, request.POST.get("period", ""))
        form = bulletin_archive.clean_issue_form(plan, request.POST)
    except (ValueError, bulletin_archive.IssueError) as error:
        return render(request, "reports/bulletin_error.html", {"error": str(error)}, status=400)
    token = request.POST.get("token", "")
    if not _TOKEN.fullmatch(token):
        return render(
            request,
            "reports/bulletin_error.html",
            {"error": "表单已失效，请重新打开预览后签发"},
            status=400,
        )
    earlier = list(bulletin_archive.issued_for(plan, period))
    repeat = Bulletin.objects.filter(token=token).exists()
    if earlier and not repeat and request.POST.get("confirm") != "1":
        context = _preview_context(plan, period, form, confirm_needed=True, earlier=earlier)
        context["token"] = token
        return render(request, "reports/bulletin_preview.html", context)
    try:
        job = bulletin_archive.issue(plan, period, form, request.user, token)
    except bulletin_archive.IssueError as error:
        context = _preview_context(plan, period, form, earlier=earlier)
        messages.error(request, str(error))
        return render(request, "reports/bulletin_preview.html", context, status=400)
    messages.info(request, f"已签发第{form.number}期督查通报，正在生成文件。")
    return redirect("reports:job", job_id=job.pk)


@login_required
def bulletin_download(request, bulletin_id: int):
    if not can_read_bulletins(request.user):
        raise PermissionDenied("无权查看督查通报")
    bulletin = get_object_or_404(
        Bulletin.objects.select_related("plan"), pk=bulletin_id, state=Bulletin.State.ISSUED
    )
    if not bulletin.file:
        raise Http404("文件尚未生成")
    path = bulletin_archive.bulletin_path(bulletin)
    if not path.exists():
        raise Http404("文件尚未生成")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=bulletin_archive.download_name(bulletin)
    )
