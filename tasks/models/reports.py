"""Progress reports (task × unit × period), their indicator values, evidence files and history."""

import uuid
from enum import nonmember
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse

from departments.models import Department

from .plans import Indicator, Task, TaskUnit


class ReportState(models.TextChoices):
    """A report's state, and the one place that says what each state allows.

    draft → submitted → approved (unit head) → accepted (office); submitted/approved/
    accepted → returned (with a reason) → submitted again (tasks.reporting).
    """

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已审核"
    ACCEPTED = "accepted", "已采纳"
    RETURNED = "returned", "已退回"

    # Not members (enum.nonmember): sets of the values above, for queries and tests.
    # A report the office can use: counts for progress, 报送率, reminders, partner reports.
    COUNTED = nonmember(frozenset({"submitted", "approved", "accepted"}))
    # Handed in: read by everyone who reads the task (a draft only by its own unit).
    SHARED = nonmember(frozenset({"submitted", "approved", "accepted", "returned"}))
    # The unit may still change it (and save or submit it again).
    EDITABLE = nonmember(frozenset({"draft", "returned"}))
    # Waiting for its unit head's approval; the head may approve or return it.
    APPROVABLE = nonmember(frozenset({"submitted"}))
    # Waiting for the office, which may accept it (also without a head's approval).
    ACCEPTABLE = nonmember(frozenset({"submitted", "approved"}))
    # The office may return any report that counts, an accepted one too.
    RETURNABLE_BY_OFFICE = nonmember(frozenset({"submitted", "approved", "accepted"}))


class ProgressReport(models.Model):
    """One unit's report on one task for one period (task × unit × period)."""

    State = ReportState  # what each state allows: ProgressReport.State everywhere

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="reports", verbose_name="填报单位"
    )
    role = models.CharField("角色", max_length=20, choices=TaskUnit.Role.choices)
    period_key = models.CharField("期次", max_length=10)  # "2022-W20" / "2022-05"
    period_start = models.DateField("期次开始")
    period_end = models.DateField("期次结束")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    progress = models.TextField("工作进展", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    percent = models.DecimalField("完成进度", max_digits=4, decimal_places=1, null=True, blank=True)
    is_late = models.BooleanField("逾期报送", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    is_demo = models.BooleanField("演示数据", default=False)
    # The unit's ask with its 存在问题: {"kind": "leader"|"department", "units": [ids]} or {};
    # kept on a draft, it opens a 需协调事项 when the report is submitted (tasks.coordination).
    coordination_ask = models.JSONField("协调请求", default=dict, blank=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-period_start", "task", "role", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "period_key"], name="report_one_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["task", "role", "period_start"], name="report_task_role_period"),
            models.Index(fields=["department", "period_key"], name="report_unit_period"),
            # The period's reports that do not count yet (drafts, returned ones), which the
            # dashboard reads per request (reports.dashboard_queries.live): a probe of the few
            # such rows, where report_unit_period read the period's 214 counted rows too
            # (execution 1.6-2.8 -> 0.02 ms, PostgreSQL EXPLAIN ANALYZE on the demo data
            # under the machine's load, 2026-12-01). With the task: at province scale (160
            # counties, 1,760 such rows in a period) one county's are found by its tasks.
            models.Index(
                fields=["period_key", "task"],
                condition=~models.Q(state__in=sorted(ReportState.COUNTED)),
                name="report_owed_period",
            ),
        ]

    def __str__(self):
        return f"{self.task.number} {self.department.name} {self.period_key}"

    def get_absolute_url(self):
        return reverse("tasks:report_history", args=[self.pk])

    @property
    def counts_as_reported(self) -> bool:
        """Drafts and returned reports are not (yet) a report the office can use."""
        return self.state in self.State.COUNTED

    @property
    def is_editable(self) -> bool:
        """The unit may still change it (in an open period: tasks.reporting.open_periods)."""
        return self.state in self.State.EDITABLE

    @classmethod
    def from_db(cls, db, field_names, values):
        report = super().from_db(db, field_names, values)
        # The state as read, so a save can tell whether it changed what counts (tasks.revision).
        report.loaded_state = report.__dict__.get("state")
        return report


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    actual = models.DecimalField("完成值", max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = "指标完成值"
        verbose_name_plural = "指标完成值"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_one_per_report"),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.actual}"


def _attachment_path(instance, filename):
    # Private storage: served only through a view that checks the reader may see the task.
    # On disk under a random name with the extension: the name the unit gave (any length, any
    # script) is kept in original_name, so no file-system limit on names can fail an upload.
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10]
    stored = f"{uuid.uuid4().hex}{suffix}"
    return f"private/attachments/{instance.report.period_key}/{instance.report_id}/{stored}"


class Attachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReportEvent(models.Model):
    """The history of a report: every submission (with a full snapshot) and every decision."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "提交"
        APPROVED = "approved", "审核通过"
        ACCEPTED = "accepted", "采纳"
        RETURNED = "returned", "退回"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)
    # For submissions: progress, problems, next_steps, percent, values, attachments, is_late.
    snapshot = models.JSONField("内容快照", default=dict, blank=True)

    class Meta:
        verbose_name = "报告记录"
        verbose_name_plural = "报告记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
