"""A node plan proposed by a task's lead unit, waiting for the office (节点计划报审).

The proposal holds the nodes as JSON ([{"due": "2022-03-31", "description": "…",
"expected_percent": "10.0"}, …]); when the office approves it they become the task's TaskNode
rows (tasks.node_plans). At most one proposal of a task is pending at a time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .plans import Task


class NodeProposal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "未同意"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="node_proposals")
    nodes = models.JSONField("节点计划", default=list)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("报审时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "节点计划报审"
        verbose_name_plural = "节点计划报审"
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="pending"),
                name="nodeproposal_one_pending_per_task",
            )
        ]

    def __str__(self):
        return f"{self.task.number} 节点计划报审（{self.get_state_display()}）"
