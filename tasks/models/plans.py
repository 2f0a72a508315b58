"""Plans (分工方案), their sections and numbered tasks, who is responsible for each task, and
the plan imports; the data revision counter. (Reports: tasks.models.reports.)"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from departments.models import Department, UnitGroup
from leaders.models import Leader

from ..unit_role import COOPERATING as COOPERATING_ROLE
from ..unit_role import LEAD as LEAD_ROLE


class PlanQuerySet(models.QuerySet):
    def by_key(self, key: str):
        """A plan is addressed by its slug, or by its year where that year has only one plan."""
        key = str(key).strip()
        found = list(self.filter(slug=key)[:1])
        if found:
            return found[0]
        if key.isdigit():
            in_year = list(self.filter(year=int(key))[:2])
            if len(in_year) == 1:
                return in_year[0]
            if len(in_year) > 1:
                slugs = ", ".join(p.slug for p in self.filter(year=int(key)))
                raise Plan.MultipleObjectsReturned(f"{key} 年有多个方案，请用方案代码指定：{slugs}")
        raise Plan.DoesNotExist(f"未找到方案：{key}")


class Plan(models.Model):
    slug = models.SlugField("方案代码", max_length=50, unique=True)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("方案名称", max_length=200)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    is_active = models.BooleanField("督查中", default=True)
    cycle = models.CharField(
        "报送周期",
        max_length=10,
        choices=[("weekly", "每周"), ("monthly", "每月")],
        default="weekly",
    )
    due_weekday = models.PositiveSmallIntegerField(
        "报送截止（周几）",
        default=3,
        choices=[
            (0, "周一"),
            (1, "周二"),
            (2, "周三"),
            (3, "周四"),
            (4, "周五"),
            (5, "周六"),
            (6, "周日"),
        ],
    )
    due_month_day = models.PositiveSmallIntegerField("报送截止（每月几日）", default=25)
    due_time = models.TimeField("报送截止时间", default=datetime.time(17, 0))
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "方案"
        verbose_name_plural = "方案"
        ordering = ["-year", "slug"]

    def __str__(self):
        return self.title


class PlanSource(models.Model):
    """The document text a plan was imported from.

    Kept out of the Plan row on purpose: pages join Plan on every task row, and a 50 KB text
    carried along each of them cost tens of milliseconds per page.
    """

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, primary_key=True, related_name="source"
    )
    text = models.TextField("原文")

    class Meta:
        verbose_name = "方案原文"
        verbose_name_plural = "方案原文"

    def __str__(self):
        return str(self.plan)


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField("序号", max_length=10)  # 一, 二, … as written
    title = models.CharField("标题", max_length=200)
    order = models.PositiveIntegerField("排序")

    class Meta:
        verbose_name = "部分"
        verbose_name_plural = "部分"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}、{self.title}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="tasks")
    number = models.CharField("编号", max_length=20)  # "6", "6(1)" as the document numbers it
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("任务内容")
    sort_order = models.PositiveIntegerField("排序")
    deadline = models.DateField("完成时限", null=True, blank=True)  # default: the plan's year end
    # Set only when an extension of the deadline is approved (tasks.extensions): until then the
    # task is judged on `deadline`, which keeps the original date for good.
    extended_deadline = models.DateField("延期后时限", null=True, blank=True)
    # Set by the office's 销号 (tasks.closure); None while the task is open (or reopened).
    closed_on = models.DateField("办结日期", null=True, blank=True)
    leaders = models.ManyToManyField(Leader, through="TaskLeader", related_name="tasks")

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_text}"

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.plan.slug, self.number])

    @property
    def short_text(self) -> str:
        text = self.title or self.text
        return text if len(text) <= 40 else text[:40] + "…"


class TaskLeader(models.Model):
    """A lead leader (牵头领导) of a task, in the document's order."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="leader_links")
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="task_links")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "牵头领导"
        verbose_name_plural = "牵头领导"
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "leader"], name="taskleader_unique"),
            models.UniqueConstraint(fields=["task", "position"], name="taskleader_unique_pos"),
        ]

    def __str__(self):
        return self.leader.name


class TaskUnit(models.Model):
    """A lead or cooperating unit of a task: one department or one unit group, in order."""

    class Role(models.TextChoices):
        LEAD = LEAD_ROLE, "牵头"  # the values of the one rule, tasks.unit_role
        COOPERATING = COOPERATING_ROLE, "配合"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="unit_links")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField("顺序")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="task_links"
    )
    group = models.ForeignKey(
        UnitGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="task_links"
    )
    written_name = models.CharField("原文写法", max_length=100)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["task", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(group__isnull=True))
                | (Q(department__isnull=True) & Q(group__isnull=False)),
                name="taskunit_department_xor_group",
            ),
            models.UniqueConstraint(
                fields=["task", "role", "position"], name="taskunit_unique_pos"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.department.name if self.department_id else self.group.name


class Indicator(models.Model):
    """A quantitative target of a task (指标): extracted at import, corrected by the office."""

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "不低于"
        AT_MOST = "<=", "不高于"
        ABOUT = "about", "左右"

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", "数量"
        GROWTH = "growth", "增长率"
        RATE = "rate", "比率"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=100)
    comparator = models.CharField("要求", max_length=10, choices=Comparator.choices)
    target = models.DecimalField("目标值", max_digits=16, decimal_places=4)
    unit = models.CharField("单位", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.ABSOLUTE)
    phrase = models.CharField("原文", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    # Indicators the office edited are kept when the document is imported again.
    edited_by_office = models.BooleanField("督查室已修改", default=False)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["task", "position", "pk"]

    def __str__(self):
        return f"{self.name} {self.get_comparator_display()} {self.target_display}{self.unit}"

    @property
    def target_display(self) -> str:
        return format(self.target.normalize(), "f")


class DataRevision(models.Model):
    """One value that changes whenever data behind a task's status or duties changes.

    Computed figures (tasks.revision.memo) are remembered under the counter's value, so a
    change anywhere makes them be computed afresh; drafts, which count nowhere, do not move it.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self):
        return f"数据版本 {self.value}"


class PlanRevision(models.Model):
    """A plan's own counter beside DataRevision's shared one: moved by changes to that plan's
    data (its tasks, their units, leaders, nodes, indicators, reports), so that at province
    scale one county's report moves its own plan's figures and no other county's
    (tasks.revision). Changes to what plans share (units, groups, leaders) move the shared one.
    """

    plan = models.OneToOneField("Plan", on_delete=models.CASCADE, primary_key=True)
    value = models.BigIntegerField(default=0)
    # Moved by every change `value` moves but a counted report's of a period not yet settled
    # (ended a day ago or later): figures of settled periods alone (a past week's 进展停滞
    # list) are kept under it, so this week's reports do not throw them away.
    settled = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "方案数据版本"
        verbose_name_plural = "方案数据版本"

    def __str__(self):
        return f"{self.plan_id}: 数据版本 {self.value}"


class PlanImport(models.Model):
    """A plan file uploaded in the browser: previewed, resolved by the office, then loaded by a
    Celery job (tasks.jobs.import_plan_file). The file's bytes live in the row, so nothing is
    left on disk when a transaction rolls back."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "待确认"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    filename = models.CharField("文件名", max_length=200)
    data = models.BinaryField("文件内容")
    size = models.PositiveIntegerField("大小")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    plan_slug = models.CharField("更新的方案", max_length=50, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.UPLOADED)
    # {"units": {written name: "new" | department id}, "leads": {task number: [names]}}
    choices = models.JSONField("确认的选择", default=dict, blank=True)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    result = models.JSONField("导入结果", default=dict, blank=True)
    last_error = models.TextField("错误信息", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )

    class Meta:
        verbose_name = "方案导入"
        verbose_name_plural = "方案导入"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.filename} {self.state}"


class TaskNode(models.Model):
    """A dated milestone of a task's node plan (节点计划 / 形象进度): by `due`, `description`
    done and the task at `expected_percent`. 序时进度 of a task with nodes is read off them
    (tasks.status), not off the straight line."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="nodes")
    due = models.DateField("节点时间")
    description = models.CharField("节点目标", max_length=200)
    expected_percent = models.DecimalField("预期进度", max_digits=4, decimal_places=1)
    # Set only when an extension of this node is approved (tasks.extensions).
    extended_due = models.DateField("延期后节点时间", null=True, blank=True)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["task", "due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due"], name="tasknode_unique_due"),
            models.CheckConstraint(
                condition=Q(expected_percent__gte=0) & Q(expected_percent__lte=100),
                name="tasknode_percent_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.task.number} {self.due:%Y-%m-%d} {self.description}"
