"""The hot figures, computed once into the shared store after the data revision moves.

Every page that shows lights or counts (dashboard, 我的任务, portfolio, task list, task page)
reads the states of the plan as of today, of the last period's end and of the one before (the
dashboard compares them), the duties, the reportable tasks and the dashboard's stale reports. After a change they are
computed here once, in the writing request after its commit, so that the next page in any
worker reads them like any other instead of computing them again (tasks.revision).
Receiver of tasks.signals.figures_moved; leaders.receivers adds the portfolio's trend.
"""

from django.conf import settings

from . import reporting
from .duties import plan_duties
from .models import Plan
from .progress import plan_task_states
from .reportable import plan_reportable_ids
from .stale import kept_period_stale


def hot_as_of(plan: Plan) -> list:
    """The as-of dates the pages ask for first: today, the last period's end, the one before."""
    current = reporting.current_period(plan)
    today = reporting.as_of_date(plan)
    return [
        today,
        *(min(p.end, today) for p in (current.previous(), current.previous().previous())),
    ]


def hot_plans(using: str = "default", plan: int | None = None):
    """The active plans, at most FIGURES_WARM_PLANS of them (a district has one or two; with
    many in one database the others are computed by their first page, once for all); plan:
    only that one, if active (its figures alone moved)."""
    plans = Plan.objects.using(using).filter(is_active=True)
    if plan is not None:
        return plans.filter(pk=plan)
    return plans.order_by("-year", "slug")[: settings.FIGURES_WARM_PLANS]


def warm(sender=None, using="default", plan=None, **kwargs) -> None:
    """The hot figures of the plan whose figures moved (plan: its id), or of the hot plans
    (None: a change every plan shares)."""
    for hot in hot_plans(using, plan):
        plan_reportable_ids(hot)
        plan_duties(hot)
        for as_of in dict.fromkeys(hot_as_of(hot)):
            plan_task_states(hot, as_of)
        # The dashboard's 进展停滞 list: this period's and the last (it opens on either).
        current = reporting.current_period(hot)
        for period in (current, current.previous()):
            kept_period_stale(hot, period)
