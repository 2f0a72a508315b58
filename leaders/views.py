from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.export import maybe_export
from tasks.models import Task

from .models import Leader
from .tables import PortfolioTable


def can_view_portfolio(user, leader: Leader) -> bool:
    """The office sees every portfolio; a leader sees his or her own."""
    person = person_of(user)
    return person.is_office or (person.leader is not None and person.leader.pk == leader.pk)


@login_required
def portfolio(request, leader_id: int):
    leader = get_object_or_404(Leader, pk=leader_id)
    if not can_view_portfolio(request.user, leader):
        raise PermissionDenied("只能查看本人的分管任务")
    queryset = (
        Task.objects.filter(leader_links__leader=leader, plan__is_active=True)
        .select_related("plan", "section")
        .order_by("-plan__year", "sort_order")
    )
    table = PortfolioTable(queryset, leader=leader)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, f"{leader.name}牵头任务"):
        return exported
    return render(request, "leaders/portfolio.html", {"leader": leader, "table": table})
