"""Frozen weekly roll-ups (snapshots), their workbooks, bulletins, and the jobs that produce them."""

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


class Bulletin(models.Model):
    """A 督查通报: a draft the weekly roll-up prepared, or an issued one with its number and file.

    Issued bulletins are numbered per plan (第N期, the plan is one year); issuing again for the
    same period makes a new one with its own number and keeps the earlier one.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "待签发"
        ISSUED = "issued", "已签发"

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "周通报"
        MONTHLY = "monthly", "月通报"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bulletins")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.WEEKLY)
    period_key = models.CharField("期间", max_length=10)  # 2022-W20, or 2022-05 for a month
    period_label = models.CharField("期间名称", max_length=60)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    requirements = models.TextField("下步要求", blank=True)
    copy_to = models.CharField("抄送", max_length=500, blank=True)
    send_to = models.CharField("报送", max_length=500, blank=True)
    summary = models.TextField("总体情况", blank=True)  # the first paragraph, for the archive
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The issue form's one-time token: a double click finds the bulletin the first click made.
    token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    file = models.CharField("文件", max_length=300, blank=True)  # relative to MEDIA_ROOT

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["plan", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=models.Q(number__isnull=False),
                name="bulletin_number_once_per_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "period_key"],
                condition=models.Q(state="draft"),
                name="bulletin_one_draft_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.plan.slug} 第{self.number or '—'}期 {self.period_key}"


class ReportJob(models.Model):
    """One request to produce a weekly workbook or a bulletin, with the state the UI shows."""

    class Kind(models.TextChoices):
        WORKBOOK = "workbook", "周报"
        BULLETIN = "bulletin", "督查通报"

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
    # Written every few seconds by the worker while the job runs (reports.stuck): a running job
    # whose heartbeat stops (the worker was killed) is found and marked failed.
    heartbeat_at = models.DateTimeField("心跳时间", null=True, blank=True)
    snapshot = models.ForeignKey(
        WeeklySnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.WORKBOOK)
    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
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


class ScorePublication(models.Model):
    """The office's decision to publish (or withdraw) the ranking of one plan × month or year:
    until published, a unit sees its own score only (reports.score_views)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="score_publications")
    period_key = models.CharField("考核期间", max_length=10)  # "2022-05" or "2022"
    published = models.BooleanField("已公布", default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField("操作时间")

    class Meta:
        verbose_name = "考核排名公布"
        verbose_name_plural = "考核排名公布"
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_key"], name="score_publication_once")
        ]

    def __str__(self):
        return f"{self.plan_id} {self.period_key} {self.published}"


class EscalationNotice(models.Model):
    """A 黄色/红色督办单: proposed by the weekly roll-up, confirmed (numbered) by the office,
    answered by the lead unit with its 整改措施, resolved by the office (reports.escalation_flow).
    """

    class Color(models.TextChoices):
        YELLOW = "yellow", "黄色督办单"
        RED = "red", "红色督办单"

    class State(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        ISSUED = "issued", "待整改"
        REPLIED = "replied", "已回复"
        RESOLVED = "resolved", "已办结"
        DISMISSED = "dismissed", "不予督办"

    OPEN = frozenset({"proposed", "issued", "replied"})

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="escalations")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="escalations")
    color = models.CharField("类别", max_length=10, choices=Color.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PROPOSED)
    period_key = models.CharField("触发期次", max_length=10)
    facts = models.TextField("督办事由")  # one fact a line, from reports.escalation.trigger
    number = models.PositiveIntegerField("编号", null=True, blank=True)  # 督办〔year〕N号
    issued_on = models.DateField("印发日期", null=True, blank=True)
    reply_due = models.DateField("回复期限", null=True, blank=True)
    copy_to = models.CharField("抄送", max_length=300, blank=True)
    measures = models.TextField("整改措施", blank=True)
    note = models.TextField("办结说明", blank=True)  # or the reason it was not issued
    proposed_at = models.DateTimeField("提出时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=models.Q(number__isnull=False),
                name="escalation_number_once_per_plan",
            ),
            models.UniqueConstraint(
                fields=["task", "color"],
                condition=models.Q(state__in=["proposed", "issued", "replied"]),
                name="escalation_one_open_per_task_color",
            ),
        ]

    def __str__(self):
        return f"{self.get_color_display()} {self.number_text or self.pk}"

    @property
    def number_text(self) -> str:
        return f"督办〔{self.plan.year}〕{self.number}号" if self.number else ""

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN
