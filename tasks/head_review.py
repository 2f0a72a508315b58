"""审核 by unit heads: their unit's submissions, approved one by one or several at once.

Returning stays per report (it needs a reason): the report's own page does it.
"""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django_tables2 import RequestConfig

from accounts.roles import approving_unit
from common.export import maybe_export
from common.tables import CountedPageData

from . import reporting
from .access import reports_visible_to
from .models import ProgressReport
from .periods import parse_period_key
from .tables import ReviewTable

State = ProgressReport.State
MAX_BATCH = 500  # more ids than any unit has reports in a week: a forged form is refused


def is_head(user) -> bool:
    return approving_unit(user) is not None


def head_queue(user):
    """The submissions of the head's unit waiting for 审核 (what the menu counts, kept:
    tasks.context_processors.pending_count); a closed task's (已办结) leave it, as they leave
    every to-do."""
    unit = approving_unit(user)
    return reports_visible_to(
        user,
        ProgressReport.objects.filter(
            state__in=State.APPROVABLE, department=unit, task__closed_on__isnull=True
        ),
    )


class HeadReviewTable(ReviewTable):
    pick = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"data-check-all": "report", "aria-label": "全选"}},
        exclude_from_export=True,
    )

    class Meta(ReviewTable.Meta):
        sequence = ("pick", "task", "action", "...")

    def render_pick(self, record):
        return format_html(
            '<label class="pick"><input type="checkbox" name="report" value="{}" '
            'form="batch-approve" aria-label="选择任务 {} 的报告"> 选择</label>',
            record.pk,
            record.task.number,
        )

    def render_period_key(self, record):
        return parse_period_key(record.period_key).short_label

    def value_period_key(self, record):
        return parse_period_key(record.period_key).label

    def render_action(self, record):
        return format_html('<a class="button" href="{}">审核</a>', record.get_absolute_url())


def queue_page(request):
    """The head's list (tasks:review sends heads here)."""
    queryset = head_queue(request.user).select_related("task__plan", "department")
    # The page and its count in one query (common.tables.CountedPageData), configured once.
    table = HeadReviewTable(CountedPageData(queryset.order_by("period_start", "pk")))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "待审核报告"):
        return exported
    return render(request, "tasks/head_review.html", {"table": table})


class BatchError(Exception):
    pass


@transaction.atomic
def approve_all(user, report_ids: list[int]) -> list[ProgressReport]:
    """Approve every named report, or none: each is checked by the access rules and the
    workflow (reporting.approve); one refusal rolls the whole batch back."""
    found = {r.pk: r for r in reports_visible_to(user).filter(pk__in=report_ids)}
    missing = [i for i in report_ids if i not in found]
    if missing:
        raise BatchError(f"有 {len(missing)} 份报告不存在或您无权审核，本次未审核任何报告。")
    approved = []
    for report_id in report_ids:
        report = found[report_id]
        try:
            approved.append(reporting.approve(report, user))
        except reporting.ReportError as error:
            raise BatchError(
                f"任务 {report.task.number}（{report.department.name}）：{error}本次未审核任何报告。"
            ) from None
    return approved


def _ids(values) -> list[int] | None:
    ids = []
    for value in values:
        if not value.isdigit() or len(value) > 12:
            return None
        if int(value) not in ids:
            ids.append(int(value))
    return ids if len(ids) <= MAX_BATCH else None


@login_required
def approve_selected(request):
    if request.method != "POST":
        return redirect("tasks:review")
    if not is_head(request.user):
        raise PermissionDenied("仅单位负责人可以审核")
    ids = _ids(request.POST.getlist("report"))
    if ids is None:
        messages.error(request, "选择的报告有误，请刷新页面后重新勾选。")
        return redirect("tasks:review")
    if not ids:
        messages.error(request, "请先勾选要审核通过的报告。")
        return redirect("tasks:review")
    try:
        approved = approve_all(request.user, ids)
    except PermissionDenied:
        messages.error(request, "其中有不属于本单位的报告，本次未审核任何报告。")
    except BatchError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已审核通过 {len(approved)} 份报告，报送督查室。")
    return redirect("tasks:review")
