from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.charts import LIGHT_COLORS, bar_chart, donut_chart, line_chart
from common.export import export_response
from tasks import reporting, revision
from tasks.models import Plan, Task
from tasks.periods import plan_periods
from tasks.progress import plan_status_history, plan_task_states
from tasks.status import Status
from tasks.tables import LEADERS, UNITS

from .models import Leader
from .tables import PortfolioTable

TREND_PERIODS = 12
ON_SCHEDULE = {Status.DONE, Status.ON_SCHEDULE}


def can_view_portfolio(user, leader: Leader) -> bool:
    """The office sees every portfolio; a leader sees his or her own."""
    person = person_of(user)
    return person.is_office or (person.leader is not None and person.leader.pk == leader.pk)


def _plan_for(leader: Leader, key: str | None) -> Plan | None:
    plans = Plan.objects.filter(tasks__leader_links__leader=leader).distinct()
    if key:
        try:
            return plans.by_key(key)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned):
            raise Http404("未找到该方案") from None
    return (
        plans.filter(is_active=True).order_by("-year", "pk").first()
        or plans.order_by("-year").first()
    )


@login_required
def portfolio(request, leader_id: int):
    leader = get_object_or_404(Leader, pk=leader_id)
    if not can_view_portfolio(request.user, leader):
        raise PermissionDenied("只能查看本人的分管任务")
    plan = _plan_for(leader, request.GET.get("plan"))
    if plan is None:
        return render(request, "leaders/portfolio.html", {"leader": leader, "plan": None})
    try:
        period = reporting.period_for(plan, request.GET.get("period"))
    except ValueError:
        raise Http404("期次格式应为 2022-W20") from None
    as_of = min(period.end, reporting.as_of_date(plan))
    context = {
        "leader": leader,
        "plan": plan,
        "plans": Plan.objects.filter(tasks__leader_links__leader=leader).distinct(),
        "period": period,
        "periods": plan_periods(plan.year, plan.cycle),
    }
    if request.GET.get("_export") == "xlsx":
        table = _table(request, leader, plan, as_of)
        return export_response(table, f"{leader.name}牵头任务", as_of=as_of)
    # The summary, charts and table are the same for everyone who may see them: remembered
    # until the data revision moves (tasks.revision), per page of the table and sort.
    key = (leader.pk, plan.pk, period.key, as_of, reporting.as_of_date(plan))
    context["body"] = revision.memo(
        "portfolio",
        (*key, request.GET.urlencode()),
        lambda: _body(request, leader, plan, period, as_of),
    )
    return render(request, "leaders/portfolio.html", context)


def _table(request, leader, plan, as_of) -> PortfolioTable:
    tasks = list(
        Task.objects.filter(plan=plan, leader_links__leader=leader)
        .select_related("plan", "section")
        .prefetch_related(LEADERS, UNITS)
    )
    ids = {t.pk for t in tasks}
    states = {pk: s for pk, s in plan_task_states(plan, as_of).items() if pk in ids}
    ordered = sorted(tasks, key=lambda t: (states[t.pk].status.severity, t.sort_order))
    table = PortfolioTable(ordered, leader=leader, states=states, as_of=as_of)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return table


def _body(request, leader, plan, period, as_of) -> str:
    table = _table(request, leader, plan, as_of)
    states = table.states
    context = {
        "period": period,
        "table": table,
        "charts": _charts(plan, period, states, {t.pk: t.number for t in table.data}),
        "lagging": sum(
            1 for s in states.values() if s.status.severity < Status.ON_SCHEDULE.severity
        ),
        "total": len(states),
    }
    return render_to_string("leaders/_portfolio_body.html", context, request=request)


def _charts(plan, period, states, numbers: dict[int, str]) -> list:
    counts = dict.fromkeys(Status, 0)
    for state in states.values():
        counts[state.status] += 1
    donut = donut_chart(
        [(s.label, counts[s], LIGHT_COLORS[s.light]) for s in Status if counts[s]],
        title="任务状态分布",
        center_text=f"{len(states)} 项",
    )
    periods = [p for p in plan_periods(plan.year, plan.cycle) if p <= period][-TREND_PERIODS:]
    history = plan_status_history(plan, periods, list(states), reporting.as_of_date(plan))
    share = [
        (
            f"第{p.index}周" if p.cycle == "weekly" else f"{p.index}月",
            round(
                100
                * sum(1 for s in history[p.key].values() if s in ON_SCHEDULE)
                / len(history[p.key]),
                1,
            )
            if history[p.key]
            else None,
        )
        for p in periods
    ]
    trend = line_chart(
        [("按序时推进的任务占比", share)], title="按序时推进的任务占比（逐周）", unit="%", y_max=100
    )
    items = [
        (
            f"{numbers[state.task_id]} {i.indicator.name}（目标{i.indicator.target_display}{i.indicator.unit}）",
            round(i.completion, 1),
        )
        for state in states.values()
        for i in state.indicators
        if i.completion is not None
    ]
    charts = [donut, trend]
    if items:
        charts.append(
            bar_chart(items, title="量化指标完成度（完成值/目标）", unit="%", max_value=100)
        )
    return [mark_safe(svg) for svg in charts]  # noqa: S308 - built by common.charts, escaped
