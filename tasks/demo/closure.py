"""Demo data for 办结申请 / 销号: task 32 of the 2022 plan (5G base stations) closed at the end of
2022, as the district's year-end special issue (seed 003, 2022-12-27) reports it achieved:
"新建5G基站590个，累计达到1632个，已提前完成全年建站任务".

Called by tasks.demo.writer.generate_demo once the plan's demo reports reach the closure day;
a demo written to an earlier week (or reset) has no closure. Idempotent.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import audit, revision
from ..models import ClosureApplication, Task, TaskEvent, TaskUnit

YEAR, NUMBER = 2022, "32"
APPLIED = datetime.datetime(2022, 12, 16, 10, 0)
CLOSED_ON = datetime.date(2022, 12, 21)
SUMMARY = (
    "新建5G基站590个，累计达到1632个，已提前完成全年建站任务。"
    "佐证材料：各运营商建站台账、区工业和信息化局验收意见。"
)


def _demo_application(task):
    return task.closure_applications.filter(summary=SUMMARY).first()


def apply_demo_closure(plan, user, reached: datetime.date) -> None:
    """Close task 32 when the demo reaches CLOSED_ON; undo a demo closure when it does not."""
    if plan.year != YEAR:
        return
    task = Task.objects.filter(plan=plan, number=NUMBER).first()
    if task is None:
        return
    existing = _demo_application(task)
    if reached < CLOSED_ON:
        if existing is not None:
            TaskEvent.objects.filter(
                object_type=existing._meta.label_lower, object_id=existing.pk
            ).delete()
            existing.delete()
            Task.objects.filter(pk=task.pk).update(closed_on=None)
            revision.bump()
        return
    if existing is not None or task.closed_on is not None:
        return
    lead = TaskUnit.objects.filter(task=task, role="lead", department__isnull=False).first()
    if lead is None:
        return
    office = get_user_model().objects.filter(profile__is_office=True).order_by("pk").first()
    applied_at = timezone.make_aware(APPLIED)
    closed_at = timezone.make_aware(datetime.datetime.combine(CLOSED_ON, datetime.time(15)))
    application = ClosureApplication.objects.create(
        task=task,
        department=lead.department,
        applicant=user,
        summary=SUMMARY,
        state=ClosureApplication.State.CLOSED,
        applied_at=applied_at,
        decided_by=office,
        decided_at=closed_at,
    )
    task.closed_on = CLOSED_ON
    task.save(update_fields=["closed_on"])
    for kind, actor, summary, at, changes in (
        ("closure.applied", user, f"{lead.department.name}申请办结", applied_at, None),
        (
            "closure.closed",
            office,
            "任务已办结（销号）",
            closed_at,
            {"办结日期": (None, CLOSED_ON)},
        ),
    ):
        event = audit.record(
            task, kind, actor=actor, summary=summary, changes=changes, obj=application
        )
        TaskEvent.objects.filter(pk=event.pk).update(at=at)
    revision.bump()
