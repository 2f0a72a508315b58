"""A task's node plan (时间节点 / 形象进度): entered by the office, proposed by the lead unit
and approved or refused by the office, and each node judged met, missed or ahead.

Every change runs in one transaction with its audit-trail step (tasks.audit); saving TaskNode
rows moves the data revision (tasks.receivers), so every light is recomputed. Whether a node
was met is tasks.status.node_outcome, judged in tasks.progress.task_states (TaskState.nodes).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import audit
from .access import UNREAD, can_edit_nodes, can_propose_nodes
from .closure import CLOSED_MESSAGE, is_closed
from .models import NodeProposal, Task, TaskNode
from .signals import nodes_decided, nodes_proposed


class NodePlanError(Exception):
    """A step that cannot be taken; the message is shown to the user as it is."""


# --- the plan as data --------------------------------------------------------------------------


def nodes_of(task: Task) -> list[dict]:
    """The task's node plan as dicts (due, description, expected_percent), in date order."""
    return [
        {"due": n.due, "description": n.description, "expected_percent": n.expected_percent}
        for n in task.nodes.order_by("due", "pk")
    ]


def plan_text(nodes: list[dict]) -> str:
    """One line for the audit trail: "2022-03-31 完成立项 10%；2022-06-30 开工 30%"."""
    if not nodes:
        return "（无）"
    return "；".join(
        f"{_day(n['due']):%Y-%m-%d} {n['description']} {_pct(n['expected_percent'])}%"
        for n in nodes
    )


def to_json(nodes: list[dict]) -> list[dict]:
    return [
        {
            "due": _day(n["due"]).isoformat(),
            "description": n["description"],
            "expected_percent": str(n["expected_percent"]),
        }
        for n in nodes
    ]


def from_json(rows: list[dict]) -> list[dict]:
    return [
        {
            "due": datetime.date.fromisoformat(r["due"]),
            "description": r["description"],
            "expected_percent": Decimal(r["expected_percent"]),
        }
        for r in rows
    ]


def _day(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _pct(value) -> str:
    return format(Decimal(value).normalize(), "f")


# --- changing it -------------------------------------------------------------------------------


def _replace(task: Task, nodes: list[dict]) -> None:
    """Make the task's TaskNode rows these nodes. A node kept at the same date keeps its
    approved extension (extended_due, tasks.extensions)."""
    existing = {n.due: n for n in task.nodes.all()}
    wanted = {_day(n["due"]) for n in nodes}
    for due, node in existing.items():
        if due not in wanted:
            node.delete()
    for n in nodes:
        node = existing.get(_day(n["due"])) or TaskNode(task=task, due=_day(n["due"]))
        node.description = n["description"]
        node.expected_percent = Decimal(n["expected_percent"])
        node.save()


def _locked(task: Task) -> Task:
    """The task row locked for this transaction: two saves of its plan run one after the other.
    A closed task's node plan does not change until the office reopens it (tasks.closure)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if is_closed(task):
        raise NodePlanError(CLOSED_MESSAGE)
    return task


def save_plan(
    task: Task, nodes: list[dict], *, actor, reason: str = "", imported: bool = False
) -> bool:
    """The office sets the task's node plan (or the plan document does, ``imported``). False
    when nothing changed (nothing recorded)."""
    if imported and is_closed(task):
        return False  # a plan document does not reopen a closed task
    with transaction.atomic():
        task = _locked(task)
        old = nodes_of(task)
        if plan_text(old) == plan_text(nodes):
            return False
        _replace(task, nodes)
        audit.record(
            task,
            "nodes.changed",
            actor=actor,
            summary=("方案文件导入" if imported else "督查室")
            + ("修改了时间节点" if old else "设定了时间节点"),
            changes={"时间节点": (plan_text(old), plan_text(nodes))},
            reason=reason,
        )
    return True


def pending_proposal(task: Task) -> NodeProposal | None:
    return task.node_proposals.filter(state=NodeProposal.State.PENDING).first()


def propose(task: Task, nodes: list[dict], *, actor) -> NodeProposal:
    """The lead unit proposes a node plan; the office decides. One pending proposal a task."""
    with transaction.atomic():
        task = _locked(task)
        if pending_proposal(task) is not None:
            raise NodePlanError("本任务已有一份待审核的节点计划，请等待督查室审核后再报。")
        if plan_text(nodes_of(task)) == plan_text(nodes):
            raise NodePlanError("报审的节点计划与现行节点计划相同，无需报审。")
        proposal = NodeProposal.objects.create(task=task, nodes=to_json(nodes), proposed_by=actor)
        audit.record(
            task,
            "nodes.proposed",
            actor=actor,
            summary="牵头单位报审时间节点",
            changes={"时间节点": (plan_text(nodes_of(task)), plan_text(nodes))},
            obj=proposal,
        )
        transaction.on_commit(lambda: nodes_proposed.send(sender=NodeProposal, proposal=proposal))
    return proposal


def decide(proposal_id: int, *, approve: bool, actor, reason: str = "") -> NodeProposal:
    """The office approves a pending proposal (its nodes become the plan) or refuses it with a
    reason. A second click finds it decided and changes nothing."""
    reason = reason.strip()
    if not approve and not reason:
        raise NodePlanError("不同意报审的节点计划时，请填写理由。")
    with transaction.atomic():
        proposal = (
            NodeProposal.objects.select_for_update().select_related("task").get(pk=proposal_id)
        )
        if proposal.state != NodeProposal.State.PENDING:
            raise NodePlanError(f"该节点计划报审已处理（{proposal.get_state_display()}）。")
        task = _locked(proposal.task)
        nodes = from_json(proposal.nodes)
        old = nodes_of(task)
        if approve:
            _replace(task, nodes)
        proposal.state = NodeProposal.State.APPROVED if approve else NodeProposal.State.REFUSED
        proposal.decided_by, proposal.decided_at = actor, timezone.now()
        proposal.reason = reason
        proposal.save()
        audit.record(
            task,
            "nodes.approved" if approve else "nodes.refused",
            actor=actor,
            summary="督查室同意报审的时间节点" if approve else "督查室不同意报审的时间节点",
            changes={"时间节点": (plan_text(old), plan_text(nodes if approve else old))},
            reason=reason,
            obj=proposal,
        )
        transaction.on_commit(lambda: nodes_decided.send(sender=NodeProposal, proposal=proposal))
    return proposal


def task_section(task: Task, state, user, *, any_proposal: bool = True, unit_role=UNREAD) -> dict:
    """What the task page's 时间节点 section shows (templates/tasks/_nodes.html): the nodes
    judged in the task's state (tasks.progress.TaskState.nodes) and what the user may do.
    `any_proposal=False`: the task has no proposal at all (tasks.task_page.blocks_with_rows);
    `unit_role`: the person's unit's part in the task (tasks.access.task_reading)."""
    office = can_edit_nodes(user)
    may_propose = not office and can_propose_nodes(user, task, role=unit_role)
    return {
        "state": state,
        "may_edit": office or may_propose,
        "office": office,
        "pending": pending_proposal(task) if any_proposal and (office or may_propose) else None,
        "url": reverse("tasks:nodes", args=[task.plan.slug, task.number]),
    }
