"""Pages of 需协调事项: the office's list (filters, xlsx), an item with its history and the
steps the viewer may take. Rules and writes: tasks.coordination; out of scope: 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from common.export import maybe_export
from tasks import audit, clock, coordination

from .coordination_tables import CoordinationFilterSet, CoordinationTable
from .models import CoordinationItem


@login_required
def coordination_list(request):
    if not coordination.can_list(request.user):
        raise PermissionDenied("仅督查室可查看全部需协调事项")
    queryset = CoordinationItem.objects.select_related("task__plan", "department")
    filterset = CoordinationFilterSet(request.GET or None, queryset=queryset)
    today = clock.today()
    table = CoordinationTable(filterset.qs, request=request, today=today)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "需协调事项", as_of=today):
        return exported
    return render(request, "leaders/coordination_list.html", {"filter": filterset, "table": table})


def _item_or_404(request, item_id: int) -> CoordinationItem:
    visible = coordination.items_visible_to(request.user).select_related(
        "task__plan", "department", "report", "closed_by"
    )
    return get_object_or_404(visible, pk=item_id)


@login_required
def coordination_detail(request, item_id: int, status: int = 200):
    item = _item_or_404(request, item_id)
    instructions = list(
        item.instructions.filter(state="published").select_related("leader").order_by("pk")
    )
    context = {
        "item": item,
        "leaders": list(item.leaders.all()),
        "units": list(item.units.all()),
        "trail": audit.trail_of(item),
        "instructions": instructions,
        "overdue": coordination.is_overdue(item, clock.today()),
        "instruct_url": reverse(
            "leaders:instruction_write", args=[item.task.plan.slug, item.task.number]
        )
        + f"?item={item.pk}",
        **coordination.actions_for(request.user, item),
    }
    return render(request, "leaders/coordination_detail.html", context, status=status)


@login_required
@require_POST
def coordination_action(request, item_id: int, action: str):
    item = _item_or_404(request, item_id)
    text = request.POST.get("note", "")
    try:
        if action == "reply":
            coordination.reply(request.user, item, text)
            messages.success(request, "已答复，事项转为协调中。")
        elif action == "close":
            item = coordination.close(request.user, item, request.POST.get("state", ""), text)
            messages.success(request, f"事项已标记为{item.get_state_display()}。")
        elif action == "reopen":
            coordination.reopen(request.user, item, text)
            messages.success(request, "事项已重新打开。")
        else:
            raise Http404("未知操作")
    except coordination.CoordinationError as error:
        messages.error(request, str(error))
        return coordination_detail(request, item_id, status=400)
    return redirect(item.get_absolute_url())
