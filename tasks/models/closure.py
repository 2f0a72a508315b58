"""Closure applications (办结申请) and their evidence files: the way a task becomes 已办结.

The lead unit applies with a summary and evidence; the office verifies and closes it (销号) or
returns it (退回重办) with a reason; when settings.CLOSURE_LEADER_CONFIRM is on, a lead leader
of the task confirms after the office. At most one application of a task is pending. The rules
are in tasks.closure; this module only says what is stored.
"""

import uuid
from enum import nonmember
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from departments.models import Department

from .plans import Task


class ClosureApplication(models.Model):
    class State(models.TextChoices):
        OFFICE = "office", "待督查室审核"
        LEADER = "leader", "待领导确认"
        CLOSED = "closed", "已办结"
        RETURNED = "returned", "已退回"

        # Waiting for somebody's decision: at most one of these per task.
        PENDING = nonmember(frozenset({"office", "leader"}))

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="closure_applications")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="申请单位"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    summary = models.TextField("办结情况")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OFFICE)
    applied_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "办结申请"
        verbose_name_plural = "办结申请"
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state__in=["office", "leader"]),
                name="closure_one_pending_per_task",
            ),
        ]

    def __str__(self):
        return f"{self.task.number} 办结申请（{self.get_state_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.state in self.State.PENDING


def _closure_file_path(instance, filename):
    # Private storage, as report evidence (tasks.models.reports._attachment_path): served only
    # through a view that asks whether the reader may read the task.
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10]
    return f"private/closure/{instance.application.task_id}/{uuid.uuid4().hex}{suffix}"


class ClosureEvidence(models.Model):
    application = models.ForeignKey(
        ClosureApplication, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to=_closure_file_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "办结佐证材料"
        verbose_name_plural = "办结佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
