"""After the data revision moves: the office dashboard's figures, computed once for every
worker (tasks.signals; tasks.figures does the states and duties they are made of): this
period's in the writing request after its commit (the dashboard opens on it), the last
period's once the writer's response is delivered (off the writer's time)."""

from tasks import clock, reporting
from tasks.figures import hot_plans

from .dashboard_figures import dashboard_figures


def warm_dashboard(sender=None, using="default", plan=None, **kwargs) -> None:
    today = clock.today()
    for hot in hot_plans(using, plan):
        dashboard_figures(hot, reporting.current_period(hot, today), today)


def warm_dashboard_after(sender=None, using="default", plan=None, **kwargs) -> None:
    today = clock.today()
    for hot in hot_plans(using, plan):
        dashboard_figures(hot, reporting.current_period(hot, today).previous(), today)


def connect() -> None:
    from tasks.signals import figures_moved, figures_moved_after

    figures_moved.connect(warm_dashboard, dispatch_uid="reports-warm-dashboard")
    figures_moved_after.connect(warm_dashboard_after, dispatch_uid="reports-warm-dashboard-after")
