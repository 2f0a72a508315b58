from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig

from accounts.roles import can_view_portfolio, person_of
from common.charts import LIGHT_COLORS, donut_chart, pace_bar_chart, stacked_column_chart
from common.export import export_response
from tasks import coordination, reporting
from tasks.lookups import period_or_404
from tasks.models import Plan, Task
from tasks.periods import plan_periods
from tasks.progress import plan_task_states
from tasks.tables import LEADERS, UNITS

from .models import Leader
from .portfolio import lagging_first, leader_plans
from .portfolio import portfolio as portfolio_figure
from .portfolio_table import paged_table
from .responses import new_responses_for
from .tables import PortfolioTable

PER_PAGE = 100  # the portfolio's table shows up to this many tasks on a page
PORTFOLIO_WORDS = "牵头的任务"  # the menu says 我牵头的任务 (templates/base.html): one wording


def portfolio_heading(user, leader: Leader) -> str:
    """我牵头的任务 for the leader (as the menu says), "张娅 牵头的任务" for anyone else."""
    person = person_of(user)
    if person.leader is not None and person.leader.pk == leader.pk:
        return f"我{PORTFOLIO_WORDS}"
    return f"{leader.name} {PORTFOLIO_WORDS}"


def _plans_of(leader: Leader):
    return Plan.objects.filter(tasks__leader_links__leader=leader).distinct()


def _plan_for(leader: Leader, key: str | None, plans: list[Plan]) -> Plan | None:
    """The plan ?plan= names among the leader's, else the newest active one of `plans` (the
    leader's, as the picker lists them: read once for both), else the newest."""
    if key:
        try:
            return _plans_of(leader).by_key(key)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned):
            raise Http404("未找到该方案") from None
    active = sorted((p for p in plans if p.is_active), key=lambda p: (-p.year, p.pk))
    return (active or sorted(plans, key=lambda p: -p.year) or [None])[0]


def _leader(request, leader_id: int) -> Leader:
    """The leader of the address: the viewer's own (read with the user) or read here."""
    own = person_of(request.user).leader
    if own is not None and own.pk == leader_id:
        return own
    return get_object_or_404(Leader, pk=leader_id)


@login_required
def portfolio(request, leader_id: int):
    leader = _leader(request, leader_id)
    if not can_view_portfolio(request.user, leader):
        raise PermissionDenied(f"只能查看本人{PORTFOLIO_WORDS}")
    plans = leader_plans(leader)
    plan = _plan_for(leader, request.GET.get("plan"), plans)
    heading = portfolio_heading(request.user, leader)
    panel = coordination.leader_panel(leader)  # open 需协调事项 first
    if plan is None:
        return render(
            request,
            "leaders/portfolio.html",
            {"leader": leader, "plan": None, "heading": heading, **panel},
        )
    period = period_or_404(plan, request.GET.get("period"))
    as_of = min(period.end, reporting.as_of_date(plan))
    context = {
        "leader": leader,
        "heading": heading,
        "plan": plan,
        "plans": plans,
        "period": period,
        "periods": plan_periods(plan.year, plan.cycle),
        **panel,
    }
    if request.GET.get("_export") == "xlsx":
        return export_response(
            _table(request, leader, plan, as_of), f"{leader.name}{PORTFOLIO_WORDS}", as_of=as_of
        )
    # 落实情况 are no status data (they do not move the revision).
    context["new_responses"] = new_responses_for(leader)
    context["new_response_count"] = sum(i.new_count for i in context["new_responses"])
    # Rendered for each request from the kept figures (tasks.revision): leaders.portfolio.
    context["body"] = _body(request, leader, plan, period, as_of)
    return render(request, "leaders/portfolio.html", context)


def _table(request, leader, plan, as_of) -> PortfolioTable:
    """The export's table, over the tasks (its columns carry the full texts)."""
    tasks = list(
        Task.objects.filter(plan=plan, leader_links__leader=leader)
        .select_related("plan", "section")
        .prefetch_related(LEADERS, UNITS)
    )
    ids = {t.pk for t in tasks}
    states = {pk: s for pk, s in plan_task_states(plan, as_of).items() if pk in ids}
    table = PortfolioTable(lagging_first(tasks, states), leader=leader, states=states, as_of=as_of)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table


def _body(request, leader, plan, period, as_of) -> str:
    """The summary, the charts and the table, from the kept portfolio (leaders.portfolio); a
    portfolio longer than a page is paged by the table itself."""
    kept = portfolio_figure(plan, leader, period, as_of)
    context = {
        "period": period,
        "plan": plan,
        "portfolio": kept,
        "charts": _charts(kept),
        "lagging": kept.lagging,
        "total": kept.total,
    }
    if kept.total > PER_PAGE:
        context["table"] = paged_table(kept, plan.year)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(context["table"])
    return render_to_string("leaders/_portfolio_body.html", context, request=request)


def _charts(kept) -> list:
    donut = donut_chart(
        [(s.label, n, LIGHT_COLORS[s.light]) for s, n in kept.status_counts],
        title="任务状态分布",
        center_text=f"{kept.total} 项",
    )
    trend = stacked_column_chart(
        list(kept.trend_labels),
        [(s.label, list(counts), LIGHT_COLORS[s.light]) for s, counts in kept.trend_series],
        title="滞后任务数（逐周）",
        unit="项",
    )
    items = [
        (label, done, expected, LIGHT_COLORS[light])
        for label, done, expected, light in kept.pace_items
    ]
    charts = [donut, trend]
    if items:
        charts.append(pace_bar_chart(items, title="量化指标完成率（完成值/目标，对照序时）"))
    return [mark_safe(svg) for svg in charts]
