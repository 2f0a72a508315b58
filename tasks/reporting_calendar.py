"""A plan's periods as the workflow sees them: "now" for a plan, which periods are open for
writing, which have not begun, and when a period's reports are due."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from . import clock
from .models import Plan
from .periods import (
    Period,
    as_of_for_plan,
    due_at,
    parse_period_key,
    period_containing,
    period_label,
)


def as_of_date(plan: Plan, today: datetime.date | None = None) -> datetime.date:
    """Today, clipped to the plan's year (a past plan is seen as at its year end)."""
    return as_of_for_plan(plan.year, today or clock.today())


def current_period(plan: Plan, today: datetime.date | None = None) -> Period:
    """The period of "now" for this plan: today, clipped to the plan's year."""
    return period_containing(as_of_date(plan, today), plan.cycle)


def period_for(plan: Plan, key: str | None, today: datetime.date | None = None) -> Period:
    """The period a request names (?period=2022-W20), else the current one."""
    if not key:
        return current_period(plan, today)
    period = parse_period_key(key)
    if period.cycle != plan.cycle:
        raise ValueError("期次格式与方案的报送周期不符")
    # Pages compare with the period before (changes since last period) and link both
    # neighbours: at the calendar's edge (0001-W01, 9999-12) they do not exist, and this
    # raises the ValueError the views turn into a 404.
    period.previous(), period.next()
    return period


def open_periods(plan: Plan, today: datetime.date | None = None) -> list[Period]:
    """Periods units may still write: the current one and the grace periods before it."""
    if not plan.is_active:
        return []
    periods = [current_period(plan, today)]
    for _ in range(settings.REPORT_OPEN_PREVIOUS_PERIODS):
        periods.append(periods[-1].previous())
    return [p for p in periods if p.end.year >= plan.year and p.start.year <= plan.year]


def is_future(plan: Plan, period: Period, today: datetime.date | None = None) -> bool:
    """Has the period not begun yet (as of today, clipped to the plan's year)?"""
    return period.start > as_of_date(plan, today)


def closed_message(plan: Plan, period: Period, today: datetime.date | None = None) -> str:
    """Why a period cannot be written: it has not begun (尚未开始), or it is closed."""
    if is_future(plan, period, today):
        return f"{period_label(period)}尚未开始，不能填报。"
    return f"{period_label(period)}已关闭，不能再填报或修改。"


def refuse_future(plan: Plan, period: Period, what: str, today=None) -> str:
    """The message refusing to produce `what` (周报, 通报) for a period not begun; "" if begun."""
    if is_future(plan, period, today):
        return f"{period_label(period)}尚未开始，不能生成{what}。"
    return ""


def plan_due_at(plan: Plan, period: Period) -> datetime.datetime:
    return due_at(
        period,
        tz=ZoneInfo(settings.TIME_ZONE),
        weekday=plan.due_weekday,
        at=plan.due_time,
        month_day=plan.due_month_day,
    )
