from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import RoleChange


class Leader(models.Model):
    """A district leader (区领导) who may be the lead leader (牵头领导) of tasks."""

    name = models.CharField("姓名", max_length=50, unique=True)
    title = models.CharField("职务", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    # The account of the leader; set means the person holds the leader role.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader",
        verbose_name="登录账号",
    )

    class Meta:
        verbose_name = "区领导"
        verbose_name_plural = "区领导"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_user_id = instance.__dict__.get("user_id")
        return instance

    def save(self, *args, changed_by=None, **kwargs):
        """Save and record a change of the linked account (the leader role) with who made it."""
        before = getattr(self, "_saved_user_id", None)
        super().save(*args, **kwargs)
        if before != self.user_id:
            changes = []
            if before:
                changes.append(
                    RoleChange(
                        user_id=before,
                        changed_by=changed_by,
                        what="区领导",
                        old_value=self.name,
                        new_value="",
                    )
                )
            if self.user_id:
                changes.append(
                    RoleChange(
                        user_id=self.user_id,
                        changed_by=changed_by,
                        what="区领导",
                        old_value="",
                        new_value=self.name,
                    )
                )
            RoleChange.objects.bulk_create(changes)
        self._saved_user_id = self.user_id


class Instruction(models.Model):
    """A leader's instruction (批示) on a task: a draft only its author sees, then published."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="instructions", verbose_name="任务"
    )
    leader = models.ForeignKey(
        Leader, on_delete=models.PROTECT, related_name="instructions", verbose_name="批示领导"
    )
    text = models.TextField("批示内容")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The 需协调事项 this instruction answers, if any (tasks.coordination.link_instruction).
    coordination_item = models.ForeignKey(
        "CoordinationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name="答复的需协调事项",
    )
    # When the author last opened the instruction page: 落实情况 written later are new to him.
    responses_seen_at = models.DateTimeField("领导查看落实情况时间", null=True, blank=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["task", "state"], name="instruction_task_state"),
            models.Index(fields=["state", "published_at"], name="instruction_state_published"),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 20 else self.text[:20] + "…"
        return f"{self.leader} 批示：{text}"

    def get_absolute_url(self):
        return reverse("leaders:instruction_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Acknowledgement(models.Model):
    """A unit has read (已阅) a published instruction: one record per instruction and unit."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="instruction_acknowledgements",
        verbose_name="单位",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="签阅人"
    )
    acknowledged_at = models.DateTimeField("签阅时间")

    class Meta:
        verbose_name = "批示签阅"
        verbose_name_plural = "批示签阅"
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instruction", "department"], name="acknowledgement_one_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.department} 已阅 {self.acknowledged_at:%Y-%m-%d %H:%M}"


class InstructionResponse(models.Model):
    """A unit's 落实情况 on a published instruction: what it has done about it.

    Kept as history: a unit writes as often as it has news, nothing is overwritten, and the
    leader reads every entry with who wrote it and when.
    """

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="responses", verbose_name="批示"
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="instruction_responses",
        verbose_name="单位",
    )
    text = models.TextField("落实情况")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填写人"
    )
    written_at = models.DateTimeField("填写时间")

    class Meta:
        verbose_name = "批示落实情况"
        verbose_name_plural = "批示落实情况"
        ordering = ["-written_at", "-pk"]
        indexes = [
            models.Index(fields=["instruction", "written_at"], name="response_instruction_time"),
        ]

    def __str__(self):
        return f"{self.department} 落实情况 {self.written_at:%Y-%m-%d %H:%M}"


class CoordinationItem(models.Model):
    """A problem a unit cannot solve alone (需协调事项), raised from the 存在问题 of a report.

    待协调 → 协调中 (someone who must act has answered: a 批示 or a unit's reply) → 已解决 or
    无法解决 (a note is required); a closed item may be reopened (recorded). Every step is
    written to the task's audit trail (tasks.audit, kind "coordination.*"); the rules are in
    tasks.coordination.
    """

    class Kind(models.TextChoices):
        LEADER = "leader", "需领导协调"
        DEPARTMENT = "department", "需部门协调"

    class State(models.TextChoices):
        OPEN = "open", "待协调"
        IN_PROGRESS = "in_progress", "协调中"
        RESOLVED = "resolved", "已解决"
        UNRESOLVABLE = "unresolvable", "无法解决"

        ACTIVE = nonmember(frozenset({"open", "in_progress"}))  # not closed: counts as open
        CLOSED = nonmember(frozenset({"resolved", "unresolvable"}))

    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        related_name="coordination_items",
        verbose_name="任务",
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="raised_coordination_items",
        verbose_name="提出单位",
    )
    report = models.ForeignKey(
        "tasks.ProgressReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordination_items",
        verbose_name="来源报告",
    )
    period_key = models.CharField("提出期次", max_length=10)
    text = models.TextField("问题")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # Who must act: the task's lead leaders (需领导协调) or the named units (需部门协调).
    leaders = models.ManyToManyField(
        Leader, related_name="coordination_items", blank=True, verbose_name="协调领导"
    )
    units = models.ManyToManyField(
        "departments.Department",
        related_name="coordination_items",
        blank=True,
        verbose_name="协调单位",
    )
    due = models.DateField("协调时限")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    note = models.TextField("办结说明", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结人",
    )
    reopened = models.PositiveIntegerField("重新打开次数", default=0)
    created_at = models.DateTimeField("提出时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )

    class Meta:
        verbose_name = "需协调事项"
        verbose_name_plural = "需协调事项"
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                name="coordination_one_per_report",
                condition=Q(report__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "due"], name="coordination_state_due")]

    def __str__(self):
        text = self.text if len(self.text) <= 20 else self.text[:20] + "…"
        return f"{self.get_kind_display()}：{text}"

    def get_absolute_url(self):
        return reverse("leaders:coordination_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.State.ACTIVE
