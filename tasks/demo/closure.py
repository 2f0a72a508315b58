"""Demo data for 办结申请 / 销号 on the 2022 plan.

- Task 32 (5G base stations) is closed near the year's end, as the district's year-end special
  issue (seed 003, 2022-12-27) reports it achieved: "新建5G基站590个，累计达到1632个，已提前完成
  全年建站任务".
- The demo's other tasks that reach 100 % stop reporting once the office accepts that report
  (tasks.demo.generator); each is closed on the day of that acceptance with the report's own
  words as its summary — what the data migration does for real plans (tasks/migrations/
  0011_close_tasks_accepted_at_full.py), so the demo looks like an upgraded install.

Called by tasks.demo.writer.generate_demo with the date its reports reach: closures after that
date are taken back (a demo written to an earlier week, or reset, has none). Idempotent.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import audit, revision
from ..models import ClosureApplication, ProgressReport, ReportEvent, Task, TaskEvent, TaskUnit

SEED_TASK = "32"
SEED_APPLIED = datetime.datetime(2022, 12, 16, 10, 0)
SEED_CLOSED_ON = datetime.date(2022, 12, 21)
SEED_SUMMARY = (
    "新建5G基站590个，累计达到1632个，已提前完成全年建站任务。"
    "佐证材料：各运营商建站台账、区工业和信息化局验收意见。"
)
COUNTED = ProgressReport.State.COUNTED


def _take_back(plan, user, reached: datetime.date) -> None:
    later = ClosureApplication.objects.filter(
        task__plan=plan, applicant=user, task__closed_on__gt=reached
    )
    for application in later.select_related("task"):
        TaskEvent.objects.filter(
            object_type=application._meta.label_lower, object_id=application.pk
        ).delete()
        Task.objects.filter(pk=application.task_id).update(closed_on=None)
        application.delete()


def _accepted_in_full(plan, reached: datetime.date) -> dict[int, tuple[ProgressReport, object]]:
    """task id -> (its latest lead report that counts, when accepted) for those accepted at 100 %."""
    latest = {}
    for report in (
        ProgressReport.objects.filter(
            task__plan=plan, role="lead", state__in=COUNTED, period_start__lte=reached
        )
        .select_related("department")
        .order_by("period_start", "submitted_at", "pk")
    ):
        latest[report.task_id] = report
    full = {
        task_id: r
        for task_id, r in latest.items()
        if r.state == "accepted" and r.percent is not None and r.percent >= 100
    }
    accepted = dict(
        ReportEvent.objects.filter(report__in=list(full.values()), action="accepted")
        .order_by("at")
        .values_list("report_id", "at")
    )
    return {task_id: (r, accepted.get(r.pk, r.updated_at)) for task_id, r in full.items()}


def _close(task, unit, user, office, summary, applied_at, closed_at) -> None:
    application = ClosureApplication.objects.create(
        task=task,
        department=unit,
        applicant=user,
        summary=summary,
        state=ClosureApplication.State.CLOSED,
        applied_at=applied_at,
        decided_by=office,
        decided_at=closed_at,
    )
    closed_on = timezone.localtime(closed_at).date()
    Task.objects.filter(pk=task.pk).update(closed_on=closed_on)
    for kind, actor, words, at, changes in (
        ("closure.applied", user, f"{unit.name}申请办结", applied_at, None),
        (
            "closure.closed",
            office,
            "任务已办结（销号）",
            closed_at,
            {"办结日期": (None, closed_on)},
        ),
    ):
        event = audit.record(
            task, kind, actor=actor, summary=words, changes=changes, obj=application
        )
        TaskEvent.objects.filter(pk=event.pk).update(at=at)


def apply_demo_closure(plan, user, reached: datetime.date) -> None:
    if plan.year != 2022:
        return
    revision.bump()
    _take_back(plan, user, reached)
    office = get_user_model().objects.filter(profile__is_office=True).order_by("pk").first()
    open_tasks = {t.pk: t for t in plan.tasks.filter(closed_on__isnull=True)}
    seed = next((t for t in open_tasks.values() if t.number == SEED_TASK), None)
    if seed is not None and reached >= SEED_CLOSED_ON:
        lead = TaskUnit.objects.filter(task=seed, role="lead", department__isnull=False).first()
        if lead is not None:
            closed_at = datetime.datetime.combine(SEED_CLOSED_ON, datetime.time(15))
            _close(
                seed,
                lead.department,
                user,
                office,
                SEED_SUMMARY,
                timezone.make_aware(SEED_APPLIED),
                timezone.make_aware(closed_at),
            )
            del open_tasks[seed.pk]
    for task_id, (report, accepted_at) in _accepted_in_full(plan, reached).items():
        task = open_tasks.get(task_id)
        if task is None or timezone.localtime(accepted_at).date() > reached:
            continue
        summary = report.progress.strip() or "年度任务已完成。"
        _close(task, report.department, user, office, summary, accepted_at, accepted_at)
