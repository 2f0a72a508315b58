"""办结申请 / 销号: the rules of closing a task, and of reopening it (one place).

A lead unit (staff or head) applies for closure with a summary and evidence files; the office
verifies it and closes the task (销号) or returns it (退回重办) with a reason. When
settings.CLOSURE_LEADER_CONFIRM is on, the office's verification sends it on to the task's lead
leaders, one of whom confirms (or returns) it. Closing sets Task.closed_on: from that day the
task is 已办结 (tasks.status), owes no reports (tasks.duties), leaves every to-do and cannot
change (ensure_open) until the office reopens it with a reason.

Every step runs in one transaction with its audit record (tasks.audit), locks the task row
(so two people deciding at once cannot both win) and moves the data revision.
"""

import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import person_of

from . import audit, clock, revision
from .access import UNREAD, leading_unit, leads_task
from .attachments import store_uploads
from .models import ClosureApplication, ClosureEvidence, Task
from .signals import closure_step

State = ClosureApplication.State
CLOSED_MESSAGE = "该任务已办结（销号），不能再修改或报送；如确需修改，请联系督查室重新打开。"


class ClosureError(Exception):
    """A refused step, with a message for the user in Chinese."""


def is_closed(task: Task) -> bool:
    return task.closed_on is not None


def ensure_open(task: Task) -> None:
    """Refuse any change to a closed task (report, indicators, node plan, extension …)."""
    if is_closed(task):
        raise ClosureError(CLOSED_MESSAGE)


def applying_unit(user, task: Task, *, role=UNREAD):
    """The unit this person may apply for closure for: their own, when it leads the task.
    `role`: the unit's part, if read already (tasks.access.task_reading)."""
    return leading_unit(user, task, role=role)


def pending_of(task: Task) -> ClosureApplication | None:
    return task.closure_applications.filter(state__in=State.PENDING).first()


def can_apply(user, task: Task, *, role=UNREAD) -> bool:
    return applying_unit(user, task, role=role) is not None and not is_closed(task)


def can_decide(user, application: ClosureApplication) -> bool:
    """Is it this person's step? The office's at 待督查室审核, a lead leader's at 待领导确认."""
    if application.state == State.OFFICE:
        return person_of(user).is_office
    if application.state == State.LEADER:
        return leads_task(user, application.task)
    return False


def can_reopen(user) -> bool:
    return person_of(user).is_office


def _locked_task(task_id: int) -> Task:
    return Task.objects.select_for_update().get(pk=task_id)


def _locked_application(application_id: int) -> ClosureApplication:
    return (
        ClosureApplication.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=application_id)
    )


def _after_commit(application, step: str, actor) -> None:
    revision.bump(plan=application.task.plan_id)
    transaction.on_commit(
        lambda: closure_step.send(
            sender=ClosureApplication, application=application, step=step, actor=actor
        )
    )


def store_evidence(application, user, files, written: list) -> list[ClosureEvidence]:
    """Keep the uploads (checked by the form, as report evidence); each file stored is
    appended to `written`, so the caller removes it again when the transaction fails."""
    return store_uploads(partial(ClosureEvidence, application=application), user, files, written)


def apply(task: Task, user, summary: str, files=()) -> ClosureApplication:
    """The lead unit applies for closure; refused (ClosureError) with a Chinese message."""
    summary = (summary or "").strip()
    written: list = []
    try:
        with transaction.atomic():
            locked = _locked_task(task.pk)
            unit = applying_unit(user, locked)
            if unit is None:
                raise ClosureError("只有该任务的牵头单位可以申请办结。")
            ensure_open(locked)
            if not summary:
                raise ClosureError("请填写办结情况说明。")
            if pending_of(locked) is not None:
                raise ClosureError("该任务已有一份待审核的办结申请，请等待办理结果。")
            try:
                with transaction.atomic():
                    application = ClosureApplication.objects.create(
                        task=locked,
                        department=unit,
                        applicant=user,
                        summary=summary,
                        applied_at=clock.now(),
                    )
            except IntegrityError:  # another request's application won the race
                raise ClosureError("该任务已有一份待审核的办结申请，请等待办理结果。") from None
            stored = store_evidence(application, user, files, written)
            audit.record(
                locked,
                "closure.applied",
                actor=user,
                summary=f"{unit.name}申请办结" + (f"（佐证材料{len(stored)}份）" if stored else ""),
                reason=summary,
                obj=application,
            )
            _after_commit(application, "applied", user)
            return application
    except BaseException:
        for file in written:
            file.storage.delete(file.name)
        raise


def _finish(application: ClosureApplication, user, today: datetime.date) -> None:
    task = application.task
    application.state = State.CLOSED
    task.closed_on = today
    task.save(update_fields=["closed_on"])
    audit.record(
        task,
        "closure.closed",
        actor=user,
        summary="任务已办结（销号）",
        changes={"办结日期": (None, today)},
        obj=application,
    )


def approve(application_id: int, user) -> ClosureApplication:
    """The office verifies (then closes, or sends on to the leader), or the leader confirms."""
    with transaction.atomic():
        application = _locked_application(application_id)
        application.task = _locked_task(application.task_id)  # as it is now, locked
        if not can_decide(user, application):
            raise ClosureError(_not_your_step(application))
        if is_closed(application.task):
            raise ClosureError(CLOSED_MESSAGE)
        application.decided_by, application.decided_at = user, clock.now()
        if application.state == State.OFFICE and settings.CLOSURE_LEADER_CONFIRM:
            application.state = State.LEADER
            audit.record(
                application.task,
                "closure.verified",
                actor=user,
                summary="督查室审核通过办结申请，待牵头领导确认",
                obj=application,
            )
            step = "verified"
        else:
            _finish(application, user, clock.today())
            step = "closed"
        application.save()
        _after_commit(application, step, user)
        return application


def send_back(application_id: int, user, reason: str) -> ClosureApplication:
    """退回重办: the one deciding at this step returns the application with a reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        application = _locked_application(application_id)
        if not can_decide(user, application):
            raise ClosureError(_not_your_step(application))
        if not reason:
            raise ClosureError("退回重办须填写理由。")
        by_leader = application.state == State.LEADER
        application.state = State.RETURNED
        application.return_reason = reason
        application.decided_by, application.decided_at = user, clock.now()
        application.save()
        audit.record(
            application.task,
            "closure.returned",
            actor=user,
            summary=("牵头领导" if by_leader else "督查室") + "退回办结申请（退回重办）",
            reason=reason,
            obj=application,
        )
        _after_commit(application, "returned", user)
        return application


def reopen(task: Task, user, reason: str) -> Task:
    """The office reopens a closed task with a reason: closed_on is cleared, the trail keeps it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked_task(task.pk)
        if not can_reopen(user):
            raise ClosureError("只有督查室可以重新打开已办结的任务。")
        if not is_closed(locked):
            raise ClosureError("该任务尚未办结，无需重新打开。")
        if not reason:
            raise ClosureError("重新打开须填写理由。")
        before, locked.closed_on = locked.closed_on, None
        locked.save(update_fields=["closed_on"])
        last = locked.closure_applications.filter(state=State.CLOSED).first()
        audit.record(
            locked,
            "task.reopened",
            actor=user,
            summary="督查室重新打开任务（撤销办结）",
            changes={"办结日期": (before, None)},
            reason=reason,
            obj=last,
        )
        revision.bump()
        transaction.on_commit(
            lambda: closure_step.send(
                sender=ClosureApplication,
                application=last,
                step="reopened",
                actor=user,
                task=locked,
            )
        )
        return locked


def _not_your_step(application: ClosureApplication) -> str:
    if application.state in State.PENDING:
        return f"这份办结申请{application.get_state_display()}，不在您的办理环节。"
    return f"这份办结申请{application.get_state_display()}，不能再办理。"


def pending_applications(plan=None):
    """Applications waiting for a decision, oldest first (one query with their task and unit)."""
    queryset = ClosureApplication.objects.filter(state__in=State.PENDING).select_related(
        "task__plan", "department", "applicant"
    )
    if plan is not None:
        queryset = queryset.filter(task__plan=plan)
    return queryset.order_by("applied_at", "pk")


def pending_rows(plan, as_of: datetime.date | None = None) -> list[dict]:
    """One row per closure application of the plan pending now (applied by `as_of`, when
    given), oldest first, for the workbook's sheet of pending applications
    (reports/workbook_applications.py). One query."""
    found = pending_applications(plan)
    if as_of is not None:
        found = found.filter(applied_at__date__lte=as_of)
    return [
        {
            "kind": "办结申请",
            "number": application.task.number,
            "task": application.task.text,
            "unit": application.department.name,
            "applied_on": timezone.localtime(application.applied_at).date(),
            "state": application.get_state_display(),
            "detail": application.summary,
        }
        for application in found
    ]
