"""Tasks that were 已完成 under the old rule (the lead unit's latest report that counts says
100 % and the office accepted it) become 已办结 on the day of that acceptance, each with a
system record in the audit trail saying why. The office accepted those reports as the verdict
(the old rule called acceptance 销号), so what people saw stays true and no light changes on
the day of the upgrade; a task closed this way that is not really done is reopened by the
office with a reason, like any other. Reversible: the reverse clears exactly these closures.
"""

import secrets

from django.db import migrations
from django.utils import timezone

KIND = "closure.migrated"
COUNTED = ("submitted", "approved", "accepted")


def close_accepted_full(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    ReportEvent = apps.get_model("tasks", "ReportEvent")
    TaskEvent = apps.get_model("tasks", "TaskEvent")
    latest = {}
    reports = (
        ProgressReport.objects.filter(role="lead", state__in=COUNTED, task__closed_on__isnull=True)
        .order_by("period_start", "submitted_at", "pk")
        .values("pk", "task_id", "state", "percent", "updated_at")
    )
    for report in reports.iterator():
        latest[report["task_id"]] = report  # ordered: the last one wins
    chosen = {
        task_id: report
        for task_id, report in latest.items()
        if report["state"] == "accepted"
        and report["percent"] is not None
        and report["percent"] >= 100
    }
    accepted_at = {}
    for event in ReportEvent.objects.filter(
        report_id__in=[r["pk"] for r in chosen.values()], action="accepted"
    ).order_by("at", "pk"):
        accepted_at[event.report_id] = event.at  # the last acceptance
    for task in Task.objects.filter(pk__in=list(chosen)):
        report = chosen[task.pk]
        day = timezone.localtime(accepted_at.get(report["pk"], report["updated_at"])).date()
        task.closed_on = day
        task.save(update_fields=["closed_on"])
        TaskEvent.objects.create(
            task=task,
            kind=KIND,
            actor=None,
            summary="按原规则（牵头单位报告完成100%并经督查室采纳）转为已办结",
            changes={"办结日期": [None, day.isoformat()]},
            reason="升级为办结申请/销号流程时的数据迁移；如任务并未办结，请督查室重新打开。",
        )
    if chosen:
        DataRevision = apps.get_model("tasks", "DataRevision")
        # Remembered figures are stale: a new random value, as tasks.revision does.
        DataRevision.objects.filter(pk=1).update(value=secrets.randbits(62))


def undo(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    TaskEvent = apps.get_model("tasks", "TaskEvent")
    events = TaskEvent.objects.filter(kind=KIND)
    Task.objects.filter(pk__in=events.values("task_id")).update(closed_on=None)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0010_closure_applications")]

    operations = [migrations.RunPython(close_accepted_full, undo)]
