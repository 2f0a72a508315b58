"""After the data revision moves: the portfolio's trend lines, computed once for every leader,
and every leader's portfolio and plans as the page opens (tasks.signals.figures_moved;
tasks.figures does the states)."""

from tasks import reporting
from tasks.figures import hot_plans
from tasks.progress import plan_status_history

from . import portfolio
from .trend import trend_periods


def warm_trend(sender=None, using="default", **kwargs) -> None:
    for plan in hot_plans(using):
        periods = trend_periods(plan, reporting.current_period(plan))
        plan_status_history(plan, periods, (), reporting.as_of_date(plan))
        portfolio.warm(plan)
    portfolio.warm_leader_plans()


def connect() -> None:
    from tasks.signals import figures_moved

    figures_moved.connect(warm_trend, dispatch_uid="leaders-warm-trend")
