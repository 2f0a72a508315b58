"""Deadline extension applications (延期申请) of a task's deadline or of one of its nodes.

A lead unit applies; its head approves (待单位审核), then the office (待督查室审核), then — when
settings.EXTENSION_LEADER_APPROVAL says so and the task has a 牵头领导 — the leader in charge
(待领导审批). Any step may refuse, with a reason. The workflow is tasks.extensions; until an
application is approved the task keeps being judged on its original date (tasks.deadlines).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from departments.models import Department

from .plans import Task, TaskNode


class ExtensionApplication(models.Model):
    class State(models.TextChoices):
        PENDING_UNIT = "pending_unit", "待单位审核"
        PENDING_OFFICE = "pending_office", "待督查室审核"
        PENDING_LEADER = "pending_leader", "待领导审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "已驳回"

    PENDING = (State.PENDING_UNIT, State.PENDING_OFFICE, State.PENDING_LEADER)

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    # None: the task's deadline (完成时限); else one node of the same task.
    node = models.ForeignKey(
        TaskNode, on_delete=models.CASCADE, null=True, blank=True, related_name="extensions"
    )
    unit = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="extensions")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField("申请时间")
    reason = models.TextField("延期理由")
    # Required when the new date lies beyond the plan year (跨年度).
    year_note = models.TextField("跨年度说明", blank=True)
    original_date = models.DateField("原时限")  # the date in force when applying
    requested_date = models.DateField("申请延期至")
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.PENDING_UNIT, db_index=True
    )
    # Who decided each step, when, and why (the reason of a refusal, or a note).
    unit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_at = models.DateTimeField("单位审核时间", null=True, blank=True)
    unit_note = models.TextField("单位审核意见", blank=True)
    office_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    office_at = models.DateTimeField("督查室审核时间", null=True, blank=True)
    office_note = models.TextField("督查室审核意见", blank=True)
    leader_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader_at = models.DateTimeField("领导审批时间", null=True, blank=True)
    leader_note = models.TextField("领导审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state__in=["pending_unit", "pending_office", "pending_leader"]),
                name="extension_one_pending_per_task",
            ),
            models.CheckConstraint(
                condition=Q(requested_date__gt=F("original_date")),
                name="extension_later_date",
            ),
        ]

    def __str__(self):
        return f"{self.task.number} 延期至 {self.requested_date:%Y-%m-%d}（{self.get_state_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING

    @property
    def subject(self) -> str:
        """What is extended, as shown: 完成时限 or the node's date and goal."""
        if self.node_id is None:
            return "完成时限"
        return f"节点“{self.node.description}”"
