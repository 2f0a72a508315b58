"""The node plan form of a task (时间节点): the office saves it, the lead unit proposes it and
the office approves or refuses the proposal (tasks.node_plans)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import node_plans
from .access import can_edit_nodes, can_propose_nodes, tasks_visible_to
from .lookups import plan_or_404
from .models import NodeProposal
from .node_forms import node_formset
from .reportable import reportable


def _task_in_scope(request, plan_key: str, number: str):
    plan = plan_or_404(plan_key)
    visible = tasks_visible_to(request.user, reportable(plan.tasks.select_related("plan")))
    return get_object_or_404(visible, number=number)


@login_required
def edit_nodes(request, plan_key: str, number: str):
    """GET: the form; POST: the office saves the plan, the lead unit proposes it."""
    task = _task_in_scope(request, plan_key, number)
    office = can_edit_nodes(request.user)
    if not office and not can_propose_nodes(request.user, task):
        raise PermissionDenied("仅督查室或本任务的牵头单位可以填报时间节点")
    pending = node_plans.pending_proposal(task)
    current = node_plans.nodes_of(task)
    formset = node_formset(request.POST or None, year=task.plan.year, nodes=current)
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            nodes = formset.nodes()
            try:
                if office:
                    reason = request.POST.get("reason", "").strip()[:2000]
                    changed = node_plans.save_plan(task, nodes, actor=request.user, reason=reason)
                    messages.success(request, "时间节点已保存。" if changed else "时间节点未改变。")
                else:
                    node_plans.propose(task, nodes, actor=request.user)
                    messages.success(request, "节点计划已报督查室审核。")
                return redirect(task.get_absolute_url())
            except node_plans.NodePlanError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, "请按提示修改后再提交。")
        status = 400
    return render(
        request,
        "tasks/nodes_form.html",
        {
            "task": task,
            "formset": formset,
            "office": office,
            "pending": pending,
            "pending_nodes": node_plans.from_json(pending.nodes) if pending else [],
        },
        status=status,
    )


@login_required
@require_POST
def decide_proposal(request, proposal_id: int, action: str):
    """The office approves (同意) or refuses (不同意, with a reason) a pending proposal."""
    proposal = get_object_or_404(
        NodeProposal.objects.filter(task__in=tasks_visible_to(request.user)), pk=proposal_id
    )
    if not can_edit_nodes(request.user):
        raise PermissionDenied("仅督查室可以审核节点计划")
    if action not in ("approve", "refuse"):
        raise Http404("未知操作")
    try:
        node_plans.decide(
            proposal.pk,
            approve=action == "approve",
            actor=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
        messages.success(
            request, "已同意，节点计划生效。" if action == "approve" else "已退回报审。"
        )
    except node_plans.NodePlanError as error:
        messages.error(request, str(error))
        return redirect("tasks:nodes", proposal.task.plan.slug, proposal.task.number)
    return redirect(proposal.task.get_absolute_url())
