"""After the data revision moves: the portfolio's trend lines, computed once for every leader
(tasks.signals.figures_moved; tasks.figures does the states)."""

from tasks import reporting
from tasks.models import Plan
from tasks.periods import plan_periods
from tasks.progress import plan_status_history


def warm_trend(sender=None, using="default", **kwargs) -> None:
    from .views import TREND_PERIODS

    for plan in Plan.objects.using(using).filter(is_active=True):
        current = reporting.current_period(plan)
        periods = [p for p in plan_periods(plan.year, plan.cycle) if p <= current]
        plan_status_history(plan, periods[-TREND_PERIODS:], (), reporting.as_of_date(plan))


def connect() -> None:
    from tasks.signals import figures_moved

    figures_moved.connect(warm_trend, dispatch_uid="leaders-warm-trend")
