"""After the data revision moves: the office dashboard's figures of this period and the last
(it opens on either), computed once for every worker (tasks.signals.figures_moved;
tasks.figures does the states and duties they are made of)."""

from tasks import clock, reporting
from tasks.figures import hot_plans

from .dashboard_figures import dashboard_figures


def warm_dashboard(sender=None, using="default", **kwargs) -> None:
    today = clock.today()
    for plan in hot_plans(using):
        current = reporting.current_period(plan, today)
        for period in (current, current.previous()):
            dashboard_figures(plan, period, today)


def connect() -> None:
    from tasks.signals import figures_moved

    figures_moved.connect(warm_dashboard, dispatch_uid="reports-warm-dashboard")
