"""The hot figures, computed once into the shared store after the data revision moves.

Every page that shows lights or counts (dashboard, 我的任务, portfolio, task list, task page)
reads the states of the plan as of today, of the last period's end and of the one before (the
dashboard compares them), the duties, the reportable tasks and 我的任务's task rows and
lights (tasks.unit_figures). After a change they are
computed here once, in the writing request after its commit, so that the next page in any
worker reads them like any other instead of computing them again (tasks.revision).
Receiver of tasks.signals.figures_moved; leaders.receivers adds the portfolio's trend and
reports.receivers the dashboard's figures (with its stale reports).
"""

from django.conf import settings

from . import reporting
from .duties import plan_duties
from .models import Plan
from .progress import plan_task_states
from .reportable import plan_reportable_ids
from .unit_figures import plan_lights, plan_rows


def hot_as_of(plan: Plan) -> list:
    """The as-of dates the pages ask for first: today, the last period's end, the one before."""
    current = reporting.current_period(plan)
    today = reporting.as_of_date(plan)
    return [
        today,
        *(min(p.end, today) for p in (current.previous(), current.previous().previous())),
    ]


def hot_plans(using: str = "default"):
    """The active plans, at most FIGURES_WARM_PLANS of them (a district has one or two; with
    many in one database the others are computed by their first page, once for all)."""
    return (
        Plan.objects.using(using)
        .filter(is_active=True)
        .order_by("-year", "slug")[: settings.FIGURES_WARM_PLANS]
    )


def warm(sender=None, using="default", **kwargs) -> None:
    for plan in hot_plans(using):
        plan_reportable_ids(plan)
        plan_duties(plan)
        plan_rows(plan)  # 我的任务's task rows, for every unit (tasks.unit_figures)
        for as_of in dict.fromkeys(hot_as_of(plan)):
            plan_task_states(plan, as_of)
            plan_lights(plan, as_of)
