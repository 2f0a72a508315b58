"""The reporting workflow: who may write which report when, and every change in one transaction.

draft → submitted → approved (unit head) → accepted (office); submitted/approved → returned
(with a reason) → submitted again. Every submission keeps a full snapshot in ReportEvent, so no
version is ever lost; a save that started from an older version is refused, not merged.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import clock, coordination
from .access import can_approve, can_report, can_review, unit_role_in
from .attachments import store_files
from .models import IndicatorValue, ProgressReport, ReportEvent, Task
from .periods import (
    Period,
    parse_period_key,
)

# When periods are open is tasks/reporting_calendar.py; views and jobs call it as reporting.X.
from .reporting_calendar import (
    as_of_date,
    closed_message,
    current_period,
    is_future,
    open_periods,
    period_for,
    plan_due_at,
    refuse_future,
)
from .signals import report_returned, report_submitted

__all__ = [  # the workflow, and the calendar it re-exports
    "ConflictError",
    "ReportData",
    "ReportError",
    "State",
    "accept",
    "approve",
    "as_of_date",
    "closed_message",
    "current_period",
    "is_future",
    "may_accept",
    "may_approve",
    "may_return",
    "open_periods",
    "period_for",
    "plan_due_at",
    "previous_report_data",
    "refuse_future",
    "return_report",
    "save_report",
    "snapshot_of",
]

logger = logging.getLogger(__name__)
State = ProgressReport.State


class ReportError(Exception):
    """A refused action, with a message for the user in Chinese; `field` names the report
    form's field it is about, when there is one (the form shows it there)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictError(ReportError):
    """Someone else saved the report since this person opened it."""


@dataclass
class ReportData:
    progress: str
    problems: str
    next_steps: str
    percent: Decimal | None
    values: dict[int, Decimal]  # indicator id -> actual
    coordination: dict | None = None  # the ask with 存在问题 (tasks.coordination); None: as is


# --- periods of a plan -----------------------------------------------------------------------


# --- writing -----------------------------------------------------------------------------------


def snapshot_of(
    *, progress, problems, next_steps, percent, values: dict, attachments: list, is_late: bool
) -> dict:
    """What a submission event keeps: the whole report as it was sent (values by name)."""
    return {
        "progress": progress,
        "problems": problems,
        "next_steps": next_steps,
        "percent": None if percent is None else str(percent),
        "values": {name: format(actual.normalize(), "f") for name, actual in values.items()},
        "attachments": list(attachments),
        "is_late": is_late,
    }


def _snapshot(report: ProgressReport) -> dict:
    return snapshot_of(
        progress=report.progress,
        problems=report.problems,
        next_steps=report.next_steps,
        percent=report.percent,
        values={v.indicator.name: v.actual for v in report.values.select_related("indicator")},
        attachments=[a.original_name for a in report.attachments.all()],
        is_late=report.is_late,
    )


def save_report(*, files: list | None = None, **kwargs) -> ProgressReport:
    """Save (and optionally submit) the unit's report for the period; refuses or writes whole.

    Evidence files are written to storage inside the transaction; when anything fails before
    the commit (a refusal, a database error, the commit itself), the files written so far are
    removed again, so a failed submission leaves neither rows nor files behind.
    """
    written: list = []
    try:
        with transaction.atomic():
            return _save_report(files=files or [], written=written, **kwargs)
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def _save_report(
    *,
    task: Task,
    unit,
    period: Period,
    user,
    data: ReportData,
    expected_version: int | None,
    submit: bool,
    files: list,
    written: list,
) -> ProgressReport:
    if not can_report(user, task, unit):
        raise PermissionDenied("无权填报该任务")
    if period not in open_periods(task.plan):
        raise ReportError(closed_message(task.plan, period))
    mine = ProgressReport.objects.select_for_update().filter(
        task=task, department=unit, period_key=period.key
    )
    report = mine.first()
    if report is None:
        # Nothing to lock yet: two first saves at once (a double click, two tabs) would both
        # insert. Locking the task makes the second wait, then find the first one's report.
        Task.objects.select_for_update().filter(pk=task.pk).first()
        report = mine.first()
    if report is not None and _repeats(report, user, data, expected_version, submit, files):
        return report  # the same save sent twice: done once, the second changes nothing
    if report is None:
        if expected_version not in (None, 0):
            raise ConflictError("该报告已被删除或尚未创建，请刷新后重试。")
        report = ProgressReport(
            task=task,
            department=unit,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            role=unit_role_in(task, unit),  # lead wins (tasks.unit_role)
            created_by=user,
            version=0,
        )
    else:
        if report.version != expected_version:
            raise ConflictError(
                "保存失败：在您编辑期间，他人已修改并保存了这份报告。您填写的内容仍保留在下方，"
                "请对照最新内容后再保存。"
            )
        if not report.is_editable:
            raise ReportError(
                f"这份报告{report.get_state_display()}，不能再修改；如需修改，请单位负责人或督查室退回。"
            )
    if submit and not data.progress.strip():
        raise ReportError("提交前请填写“工作进展”。", field="progress")
    if submit and data.percent is None:
        # The typed percent is the task's completion (a draft may leave it empty).
        raise ReportError(
            "提交前请填写“完成进度”（0 到 100 之间的百分数）；保存草稿时可以先不填。",
            field="percent",
        )
    report.progress = data.progress.strip()
    report.problems = data.problems.strip()
    report.next_steps = data.next_steps.strip()
    report.percent = data.percent
    if data.coordination is not None:
        report.coordination_ask = data.coordination
    report.updated_by = user
    report.version += 1
    report.save()
    _save_values(report, data.values)
    store_files(report, user, files, written)
    if submit:
        _submit(report, user)
    return report


def _repeats(report, user, data: ReportData, expected_version, submit: bool, files) -> bool:
    """Is this save the one just done again: the same person, from the version before it,
    with the same content and the same intent (and no new files)?"""
    if files or report.updated_by_id != user.pk or report.version != (expected_version or 0) + 1:
        return False
    if report.state != (State.SUBMITTED if submit else State.DRAFT):
        return False
    values = {v.indicator_id: v.actual for v in report.values.all()}
    return (
        report.progress == data.progress.strip()
        and report.problems == data.problems.strip()
        and report.next_steps == data.next_steps.strip()
        and report.percent == data.percent
        and values == dict(data.values)
        and (data.coordination is None or data.coordination == report.coordination_ask)
    )


def _save_values(report: ProgressReport, values: dict[int, Decimal]):
    allowed = set(report.task.indicators.values_list("pk", flat=True))
    report.values.exclude(indicator_id__in=[i for i in values if i in allowed]).delete()
    for indicator_id, actual in values.items():
        if indicator_id in allowed:
            IndicatorValue.objects.update_or_create(
                report=report, indicator_id=indicator_id, defaults={"actual": actual}
            )


def _submit(report: ProgressReport, user):
    moment = clock.now()
    report.state = State.SUBMITTED
    report.submitted_at = moment
    report.is_late = moment > plan_due_at(report.task.plan, _period_of(report))
    report.return_reason = ""
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.SUBMITTED,
        actor=user,
        at=moment,
        snapshot=_snapshot(report),
    )
    coordination.open_from_report(report, user)  # a 需协调事项 asked for, in this transaction
    logger.info("report %s submitted by user %s (late=%s)", report.pk, user.pk, report.is_late)
    transaction.on_commit(lambda: report_submitted.send(sender=ProgressReport, report=report))


def _period_of(report: ProgressReport) -> Period:
    return parse_period_key(report.period_key)


def _locked(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update().select_related("task__plan").get(pk=report.pk)


# --- decisions on a submission ---------------------------------------------------------------


def may_approve(user, report: ProgressReport) -> bool:
    """The unit head approves a submission of his or her unit, passing it on to the office."""
    return can_approve(user, report) and report.state in State.APPROVABLE


def may_accept(user, report: ProgressReport) -> bool:
    """The office accepts a submission, approved or not: a unit without a head account must
    not be stuck."""
    return can_review(user) and report.state in State.ACCEPTABLE


def may_return(user, report: ProgressReport) -> bool:
    """The head returns a submission not yet approved; the office any report that counts."""
    return (can_approve(user, report) and report.state in State.APPROVABLE) or (
        can_review(user) and report.state in State.RETURNABLE_BY_OFFICE
    )


@dataclass(frozen=True)
class _Decision:
    may: Callable  # may_approve, may_accept
    allowed: Callable  # who may take it in some state: can_approve(user, report), can_review
    denied: str  # the refusal for anyone else
    verb: str  # 审核, 采纳
    state: str  # the report's state after it
    action: str  # the ReportEvent's action


_APPROVE = _Decision(
    may=may_approve,
    allowed=can_approve,
    denied="只有本单位负责人可以审核",
    verb="审核",
    state=State.APPROVED,
    action=ReportEvent.Action.APPROVED,
)
_ACCEPT = _Decision(
    may=may_accept,
    allowed=lambda user, report: can_review(user),
    denied="只有督查室可以采纳",
    verb="采纳",
    state=State.ACCEPTED,
    action=ReportEvent.Action.ACCEPTED,
)


@transaction.atomic
def _decide(report: ProgressReport, user, decision: _Decision) -> ProgressReport:
    """Approve or accept: the report locked, the person and the state checked, one event."""
    report = _locked(report)
    if not decision.may(user, report):
        if not decision.allowed(user, report):
            raise PermissionDenied(decision.denied)
        raise ReportError(f"这份报告{report.get_state_display()}，不能{decision.verb}。")
    report.state = decision.state
    report.save(update_fields=["state", "updated_at"])
    ReportEvent.objects.create(report=report, action=decision.action, actor=user, at=clock.now())
    return report


def approve(report: ProgressReport, user) -> ProgressReport:
    return _decide(report, user, _APPROVE)


def accept(report: ProgressReport, user) -> ProgressReport:
    return _decide(report, user, _ACCEPT)


@transaction.atomic
def return_report(report: ProgressReport, user, reason: str) -> ProgressReport:
    report = _locked(report)
    if not may_return(user, report):
        if not (can_approve(user, report) or can_review(user)):
            raise PermissionDenied("无权退回这份报告")
        raise ReportError(f"这份报告{report.get_state_display()}，不能退回。")
    if not reason.strip():
        raise ReportError("退回时请写明原因。")
    report.state = State.RETURNED
    report.return_reason = reason.strip()
    report.version += 1  # an open edit form of the unit must not overwrite after a return
    report.save(update_fields=["state", "return_reason", "version", "updated_at"])
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.RETURNED,
        actor=user,
        at=clock.now(),
        note=reason.strip(),
    )
    transaction.on_commit(
        lambda: report_returned.send(sender=ProgressReport, report=report, reason=reason.strip())
    )
    return report


def previous_report_data(task: Task, unit, period: Period) -> ReportData | None:
    """Last period's report of the unit, as a starting point for this one."""
    previous = (
        ProgressReport.objects.filter(task=task, department=unit, period_start__lt=period.start)
        .order_by("-period_start")
        .prefetch_related("values")
        .first()
    )
    if previous is None:
        return None
    return ReportData(
        progress=previous.progress,
        problems=previous.problems,
        next_steps=previous.next_steps,
        percent=previous.percent,
        values={v.indicator_id: v.actual for v in previous.values.all()},
    )
