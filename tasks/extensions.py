"""The deadline extension workflow (延期申请): who may apply and decide, and every step in one
transaction with its audit record (tasks.audit) and the notice to whoever acts next.

A lead unit's staff or head applies → the unit head (待单位审核; skipped when the head applies
himself or herself: applying is the head's approval) → the office (待督查室审核) → the leader in
charge (待领导审批, when settings.EXTENSION_LEADER_APPROVAL and the task has a 牵头领导) → 已批准.
Any step may refuse (已驳回) with a reason. Approval sets Task.extended_deadline (or
TaskNode.extended_due) and moves the data revision; until then nothing changes the light
(tasks.deadlines).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounts.roles import approving_unit, person_of

from . import audit, clock, revision
from .access import UNREAD, leading_unit, leads_task
from .deadlines import current_date, effective_due, refusal
from .models import ExtensionApplication, Task, TaskLeader, TaskNode
from .signals import extension_moved

State = ExtensionApplication.State
PENDING = ExtensionApplication.PENDING
MAX_TEXT = 2000


class ExtensionError(Exception):
    """A refused step, with a Chinese message; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- who may do what -------------------------------------------------------------------------


def applying_unit(user, task: Task, *, role=UNREAD):
    """The lead unit this person applies for on the task (staff or head), else None.
    `role`: the unit's part, if read already (tasks.access.task_reading)."""
    return leading_unit(user, task, role=role)


def may_decide(user, application: ExtensionApplication) -> bool:
    """Is the application at this person's step?"""
    if application.state == State.PENDING_UNIT:
        unit = approving_unit(user)
        return unit is not None and unit.pk == application.unit_id
    if application.state == State.PENDING_OFFICE:
        return person_of(user).is_office
    if application.state == State.PENDING_LEADER:
        return leads_task(user, application.task)
    return False


def leader_step_needed(task: Task) -> bool:
    return settings.EXTENSION_LEADER_APPROVAL and TaskLeader.objects.filter(task=task).exists()


def current_of(task: Task, node: TaskNode | None) -> datetime.date:
    """The date in force that the application would replace."""
    if node is not None:
        return effective_due(node.due, node.extended_due)
    return current_date(task.plan.year, task.deadline, task.extended_deadline)


# --- applying --------------------------------------------------------------------------------


def _clean(text: str, label: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ExtensionError(f"{label}不能超过 {MAX_TEXT} 字。", field)
    return text


def pending_message(pending: ExtensionApplication) -> str:
    return (
        f"本任务已有一份延期申请正在审批中（{pending.get_state_display()}，申请延期至 "
        f"{pending.requested_date:%Y-%m-%d}），审批结束前不能再次申请。"
    )


@transaction.atomic
def apply(
    *,
    task: Task,
    user,
    requested_date: datetime.date | None,
    reason: str,
    year_note: str = "",
    node_id: int | None = None,
) -> ExtensionApplication:
    """File an application, or refuse it whole (ExtensionError / PermissionDenied)."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    unit = applying_unit(user, task)
    if unit is None:
        raise PermissionDenied("只有本任务的牵头单位可以申请延期。")
    if task.closed_on is not None:
        raise ExtensionError(f"本任务已于 {task.closed_on:%Y-%m-%d} 办结，不能申请延期。")
    node = None
    if node_id is not None:
        node = TaskNode.objects.filter(task=task, pk=node_id).first()
        if node is None:
            raise ExtensionError("所选节点不属于本任务。", "node")
    reason = _clean(reason, "延期理由", "reason")
    year_note = _clean(year_note, "跨年度说明", "year_note")
    current = current_of(task, node)
    problem = refusal(
        year=task.plan.year,
        current=current,
        requested=requested_date,
        reason=reason,
        year_note=year_note,
    )
    if problem:
        raise ExtensionError(problem[1], problem[0])
    pending = ExtensionApplication.objects.filter(task=task, state__in=PENDING).first()
    if pending is not None:
        raise ExtensionError(pending_message(pending))
    now = clock.now()
    head_applies = approving_unit(user) is not None
    application = ExtensionApplication(
        task=task,
        node=node,
        unit=unit,
        applicant=user,
        applied_at=now,
        reason=reason,
        year_note=year_note,
        original_date=current,
        requested_date=requested_date,
        state=State.PENDING_OFFICE if head_applies else State.PENDING_UNIT,
    )
    if head_applies:  # the head's own application needs no second look by the same head
        application.unit_by, application.unit_at = user, now
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # another application got in first (the one-pending constraint)
        raise ExtensionError("本任务已有一份延期申请正在审批中，审批结束前不能再次申请。") from None
    what = application.subject
    audit.record(
        task,
        "extension.applied",
        actor=user,
        summary=f"{unit.name}申请{what}延期至 {requested_date:%Y-%m-%d}"
        + ("（单位负责人提交，单位审核通过）" if head_applies else ""),
        changes={f"{what}（申请）": (current, requested_date)},
        reason=reason + (f"\n跨年度说明：{year_note}" if year_note else ""),
        obj=application,
    )
    transaction.on_commit(lambda: extension_moved.send(sender=Task, application=application))
    return application


# --- deciding --------------------------------------------------------------------------------

_STEP_FIELDS = {
    State.PENDING_UNIT: ("unit_by", "unit_at", "unit_note", "单位审核"),
    State.PENDING_OFFICE: ("office_by", "office_at", "office_note", "督查室审核"),
    State.PENDING_LEADER: ("leader_by", "leader_at", "leader_note", "领导审批"),
}


def locked(application_id: int) -> ExtensionApplication:
    return (
        ExtensionApplication.objects.select_for_update(of=("self",))
        .select_related("task__plan", "node", "unit")
        .get(pk=application_id)
    )


def _next_state(application: ExtensionApplication) -> str:
    if application.state == State.PENDING_UNIT:
        return State.PENDING_OFFICE
    if application.state == State.PENDING_OFFICE and leader_step_needed(application.task):
        return State.PENDING_LEADER
    return State.APPROVED


def _put_in_force(application: ExtensionApplication) -> tuple[str, object, object]:
    """Set the approved date; returns (label, before, after) for the audit record."""
    task, node = application.task, application.node
    if node is not None:
        before = effective_due(node.due, node.extended_due)
        node.extended_due = application.requested_date
        node.save(update_fields=["extended_due"])
        label = f"节点“{node.description}”时间"
    else:
        before = current_date(task.plan.year, task.deadline, task.extended_deadline)
        task.extended_deadline = application.requested_date
        task.save(update_fields=["extended_deadline"])
        label = "完成时限"
    revision.bump(plan=task.plan_id)
    return label, before, application.requested_date


@transaction.atomic
def decide(
    application: ExtensionApplication, user, *, approve: bool, note: str, shown_state: str
) -> ExtensionApplication:
    """Approve or refuse the application at its current step (``shown_state``: the step the
    deciding form was shown at; a form of a step already decided is refused, not re-applied)."""
    application = locked(application.pk)
    if not application.is_pending:
        raise ExtensionError(
            f"该申请已处理（{application.get_state_display()}），本次未作任何更改。"
        )
    if not may_decide(user, application):
        raise PermissionDenied(f"该申请{application.get_state_display()}，不在您的审批环节。")
    if shown_state != application.state:  # a form of an earlier step, decided since
        raise ExtensionError(
            f"该申请已处理（现为{application.get_state_display()}），本次未作任何更改，"
            "请查看后再处理。"
        )
    note = _clean(note, "审批意见", "note")
    if not approve and not note:
        raise ExtensionError("驳回时请写明理由。", "note")
    task = application.task
    if approve and task.closed_on is not None:
        raise ExtensionError(f"本任务已于 {task.closed_on:%Y-%m-%d} 办结，不能批准延期。")
    by, at, note_field, step = _STEP_FIELDS[application.state]
    setattr(application, by, user)
    setattr(application, at, clock.now())
    setattr(application, note_field, note)
    changes = {}
    if approve:
        application.state = _next_state(application)
        if application.state == State.APPROVED:
            label, before, after = _put_in_force(application)
            changes[label] = (before, after)
            summary = f"{step}批准{application.subject}延期至 {after:%Y-%m-%d}，延期生效"
        else:
            summary = f"{step}同意{application.subject}延期，转{application.get_state_display()}"
    else:
        application.state = State.REFUSED
        summary = f"{step}驳回{application.subject}延期申请"
    application.save()
    audit.record(
        task,
        "extension.approved" if approve else "extension.refused",
        actor=user,
        summary=summary,
        changes=changes,
        reason=note,
        obj=application,
    )
    transaction.on_commit(lambda: extension_moved.send(sender=Task, application=application))
    return application
