"""The hot figures, computed once into the shared store after the data revision moves.

Every page that shows lights or counts (dashboard, 我的任务, portfolio, task list, task page)
reads the states of the plan as of today, of the last period's end and of the one before (the
dashboard compares them), the duties, the reportable tasks and 我的任务's task rows and
lights (tasks.unit_figures). After a change they are computed here once, so that the next
page in any worker reads them like any other instead of computing them again
(tasks.revision): what pages read first in the writing request after its commit (warm,
tasks.signals.figures_moved; leaders.receivers adds the portfolio's trend, reports.receivers
the dashboard's figures, tasks.plan_rows the task list's), the rest once its response is
delivered (warm_after, figures_moved_after), off the writer's time. A unit's 提交 (2022 plan,
in-process): the writer's response 261 -> 96 ms of CPU, the last period's 进展停滞 list no
longer computed again (kept under the plan's settled counter, tasks.revision); every first
page after it within 1.1x of a warm one.
"""

from django.conf import settings

from . import reporting
from .duties import plan_duties
from .models import Plan
from .progress import plan_task_states
from .reportable import plan_reportable_ids
from .stale import kept_stale_rows
from .unit_figures import plan_lights, plan_rows


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
    """In the writing request, after its commit: what the pages read first (the states as of
    today and the last two periods' ends, the duties, the reportable tasks, 我的任务's task
    rows and lights) of the plan whose figures moved (plan: its id), or of the hot plans
    (None: a change every plan shares)."""
    for hot in hot_plans(using, plan):
        plan_reportable_ids(hot)
        plan_duties(hot)
        plan_rows(hot)  # 我的任务's task rows, for every unit (tasks.unit_figures)
        for as_of in dict.fromkeys(hot_as_of(hot)):
            plan_task_states(hot, as_of)
            plan_lights(hot, as_of)
        kept_stale_rows(hot, reporting.current_period(hot))


def warm_after(sender=None, using="default", plan=None, **kwargs) -> None:
    """Once the writer's response is delivered: the last period's 进展停滞 list (the dashboard
    opens on either period; kept under the plan's settled counter, this period's reports do
    not move it: computed again only after older changes)."""
    for hot in hot_plans(using, plan):
        kept_stale_rows(hot, reporting.current_period(hot).previous())
