"""The audit trail of a task's life as the office governs it (办理记录).

One model for every step that is not a weekly report (reports keep their own ReportEvent):
node plans, deadline extensions, closure and reopening, coordination items, 督办单. Each row
says who did what, when, what changed and why. Rows are written through tasks.audit.record,
never edited or deleted by the application.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .plans import Task


class TaskEvent(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="life_events")
    # A dotted code, "<subject>.<verb>": "nodes.changed", "extension.applied",
    # "extension.approved", "closure.returned", "task.reopened", "coordination.resolved" …
    kind = models.CharField("类别", max_length=40, db_index=True)
    # None: the system (a Celery job, a data migration).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    summary = models.CharField("事项", max_length=300)  # one Chinese sentence, as shown
    changes = models.JSONField("变更", default=dict, blank=True)  # {"字段": [before, after]}
    reason = models.TextField("理由", blank=True)
    # The object the step is about (an application, an item, a notice), when there is one.
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="taskevent_object")]

    def __str__(self):
        return f"{self.task} {self.summary} {self.at:%Y-%m-%d %H:%M}"
