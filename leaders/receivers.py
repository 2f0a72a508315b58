"""After the data revision moves: the portfolio's trend lines, computed once for every leader,
and every leader's portfolio and plans as the page opens (tasks.signals.figures_moved;
tasks.figures does the states). In the writing request: after the response, a portfolio that
came first was 1.74x a warm one (20 ms of CPU). And what moves it here: a saved or deleted
instruction, acknowledgement or coordination item (我的任务's panels are kept:
leaders.unit_panels; tasks.coordination moves it too, at every step it takes)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from tasks import reporting, revision
from tasks.figures import hot_plans
from tasks.progress import plan_status_history

from . import portfolio
from .trend import trend_periods


def warm_trend(sender=None, using="default", plan=None, **kwargs) -> None:
    for hot in hot_plans(using, plan):
        periods = trend_periods(hot, reporting.current_period(hot))
        plan_status_history(hot, periods, (), reporting.as_of_date(hot))
        portfolio.warm(hot)
    portfolio.warm_leader_plans()


def _changed(sender, using=None, **kwargs) -> None:
    revision.bump(using or "default")


def connect() -> None:
    from tasks.signals import figures_moved

    from .models import Acknowledgement, CoordinationItem, Instruction

    figures_moved.connect(warm_trend, dispatch_uid="leaders-warm-trend")
    for model in (Instruction, Acknowledgement, CoordinationItem):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"leaders-revision-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"leaders-revision-del-{name}")
    m2m_changed.connect(
        _changed, sender=CoordinationItem.units.through, dispatch_uid="leaders-revision-units"
    )
