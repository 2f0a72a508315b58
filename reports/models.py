"""Frozen weekly roll-ups (snapshots), their workbooks, and the jobs that produce them."""

from django.conf import settings
from django.db import models

from tasks.models import Plan, Task


class WeeklySnapshot(models.Model):
    """The state of every task of a plan as it stood for one period; one per plan × period."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    period_key = models.CharField("期次", max_length=10)
    period_label = models.CharField("期次名称", max_length=60)
    as_of = models.DateField("截至日期")
    generated_at = models.DateTimeField("生成时间")
    # Per-leader, per-unit, missing and change summaries, exactly as the workbook shows them.
    summary = models.JSONField("汇总", default=dict)
    file = models.CharField("文件", max_length=300, blank=True)  # relative to MEDIA_ROOT

    class Meta:
        verbose_name = "周报快照"
        verbose_name_plural = "周报快照"
        ordering = ["plan", "-period_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_key"], name="snapshot_one_per_period")
        ]

    def __str__(self):
        return f"{self.plan.slug} {self.period_key}"


class SnapshotRow(models.Model):
    snapshot = models.ForeignKey(WeeklySnapshot, on_delete=models.CASCADE, related_name="rows")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveIntegerField()
    status = models.CharField("状态", max_length=20)
    completion = models.FloatField("完成进度", null=True)
    expected = models.FloatField("序时进度")
    progress = models.TextField("本期进展", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    reporting = models.TextField("报送情况", blank=True)
    # Per unit: state, late, period; per indicator: target, actual, completion.
    details = models.JSONField("明细", default=dict)

    class Meta:
        verbose_name = "快照行"
        verbose_name_plural = "快照行"
        ordering = ["snapshot", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "task"], name="snapshot_row_one_per_task")
        ]

    def __str__(self):
        return f"{self.snapshot} {self.task_id}"


class ReportJob(models.Model):
    """One request to produce a weekly workbook, with the state the UI shows."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_jobs")
    period_key = models.CharField("期次", max_length=10)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    last_error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The beat's own run for a plan × period is unique: however often the scheduler fires
    # (or catches up after an outage), the scheduled roll-up happens once.
    scheduled = models.BooleanField("定时生成", default=False)
    requested_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    snapshot = models.ForeignKey(
        WeeklySnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )

    class Meta:
        verbose_name = "周报生成任务"
        verbose_name_plural = "周报生成任务"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_key"],
                condition=models.Q(scheduled=True),
                name="one_scheduled_job_per_period",
            )
        ]

    def __str__(self):
        return f"{self.plan.slug} {self.period_key} {self.state}"
