"""After the data revision moves: the office dashboard's figures, computed once for every
worker (tasks.signals; tasks.figures does the states and duties they are made of): of the
period the dashboard opens on (overview.dashboard_period) in the writing request after its
commit, of the other one (its switch) once the writer's response is delivered."""

from tasks import clock, reporting
from tasks.figures import hot_plans

from .dashboard_figures import dashboard_figures
from .overview import dashboard_period


def _periods(plan, now) -> tuple:
    """(the period the dashboard opens on, the other one its switch offers)."""
    opens = dashboard_period(plan, now)
    current = reporting.current_period(plan, now.date())
    return opens, (current.previous() if opens == current else current)


def warm_dashboard(sender=None, using="default", plan=None, **kwargs) -> None:
    now = clock.now()
    for hot in hot_plans(using, plan):
        dashboard_figures(hot, _periods(hot, now)[0], now.date())


def warm_dashboard_after(sender=None, using="default", plan=None, **kwargs) -> None:
    now = clock.now()
    for hot in hot_plans(using, plan):
        dashboard_figures(hot, _periods(hot, now)[1], now.date())


def connect() -> None:
    from tasks.signals import figures_moved, figures_moved_after

    figures_moved.connect(warm_dashboard, dispatch_uid="reports-warm-dashboard")
    figures_moved_after.connect(warm_dashboard_after, dispatch_uid="reports-warm-dashboard-after")
