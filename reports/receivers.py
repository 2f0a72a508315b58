"""After the data revision moves: the office dashboard's figures of this period and the last
(it opens on either: overview.dashboard_period), computed once for every worker in the writing
request after its commit (tasks.signals.figures_moved; tasks.figures does the states and
duties they are made of). Not after the response: a sync worker busy with it there holds the
next request it takes (the first dashboard after a submission then waited 179 ms, 22x warm)."""

from tasks import clock, reporting
from tasks.figures import hot_plans

from .dashboard_figures import dashboard_figures


def warm_dashboard(sender=None, using="default", plan=None, **kwargs) -> None:
    today = clock.today()
    for hot in hot_plans(using, plan):
        current = reporting.current_period(hot, today)
        for period in (current, current.previous()):
            dashboard_figures(hot, period, today)


def connect() -> None:
    from tasks.signals import figures_moved

    figures_moved.connect(warm_dashboard, dispatch_uid="reports-warm-dashboard")
