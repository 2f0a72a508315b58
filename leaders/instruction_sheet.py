"""The instruction sheet (领导批示件) of one 批示, printed as a one-page Word document.

common.docx writes it (the same writer as the 督查通报, through its Notice form): the task, the
instruction, who must act (the units that must acknowledge, with their 已阅), and the reply —
the lead units' progress reported since the instruction was published.
"""

from django.conf import settings
from django.utils import timezone

from common.docx import Notice, notice_bytes
from tasks import clock
from tasks.export import responsibility_names
from tasks.models import ProgressReport, Task, TaskUnit

from .instructions import acknowledgement_status
from .models import Instruction

REPLY_LIMIT = 600


def _date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def _reply(instruction: Instruction) -> str:
    """The lead units' latest counted report since the instruction (one query)."""
    if not instruction.published_at:
        return "批示尚未发布。"
    reports = (
        ProgressReport.objects.filter(
            task_id=instruction.task_id,
            role=TaskUnit.Role.LEAD,
            state__in=ProgressReport.State.COUNTED,
            submitted_at__gte=instruction.published_at,
        )
        .select_related("department")
        .order_by("department_id", "-submitted_at")
    )
    latest = {}
    for report in reports:
        latest.setdefault(report.department_id, report)
    if not latest:
        return "牵头单位尚未报送批示后的办理情况。"
    parts = []
    for report in latest.values():
        text = " ".join(report.progress.split())
        if len(text) > REPLY_LIMIT:
            text = text[:REPLY_LIMIT] + "…"
        parts.append(f"{report.department.name}（{_date(report.submitted_at)}报送）：{text or '—'}")
    return "\n".join(parts)


def instruction_notice(instruction: Instruction) -> Notice:
    task = (
        Task.objects.filter(pk=instruction.task_id)
        .select_related("plan")
        .prefetch_related("leader_links__leader", "unit_links__department", "unit_links__group")
        .get()
    )
    leaders, lead_units, cooperating = responsibility_names(task)
    statuses = acknowledgement_status(instruction)
    acknowledged = "；".join(
        f"{s.department.name} {'已阅 ' + _date(s.acknowledged_at) if s.acknowledged else '未阅'}"
        for s in statuses
    )
    published = _date(instruction.published_at) if instruction.published_at else "（草稿）"
    return Notice(
        title="领导批示件",
        number_line=f"{task.plan.year}年 任务{task.number}",
        fields=[
            ("任务", f"{task.number}. {task.text}"),
            ("牵头领导", "、".join(leaders) or "—"),
            ("牵头单位", "、".join(lead_units) or "—"),
            ("配合单位", "、".join(cooperating) or "—"),
            ("批示领导", instruction.leader.name),
            ("批示时间", published),
            ("批示内容", instruction.text),
            ("办理单位", "、".join(s.department.name for s in statuses) or "—"),
            ("签阅情况", acknowledged or "—"),
            ("办理情况", _reply(instruction)),
        ],
        issuer=settings.BULLETIN_ISSUER,
        date_text=_date(clock.now()),
    )


def instruction_sheet(instruction: Instruction) -> bytes:
    return notice_bytes(instruction_notice(instruction))


def sheet_filename(instruction: Instruction) -> str:
    return f"领导批示件-任务{instruction.task.number}-{instruction.pk}.docx"
