"""Plans (分工方案), their sections and numbered tasks, and who is responsible for each task."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from departments.models import Department, UnitGroup
from leaders.models import Leader


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
    source_text = models.TextField("原文", blank=True)
    is_active = models.BooleanField("督查中", default=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "方案"
        verbose_name_plural = "方案"
        ordering = ["-year", "slug"]

    def __str__(self):
        return self.title


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
        LEAD = "lead", "牵头"
        COOPERATING = "cooperating", "配合"

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
