"""The periods of a portfolio's trend chart (滞后任务数（逐周）): the last TREND_PERIODS up to the
period shown. One place for the page (leaders.views) and for keeping it (leaders.receivers)."""

from tasks.periods import Period, plan_periods

TREND_PERIODS = 12


def trend_periods(plan, period: Period) -> list[Period]:
    return [p for p in plan_periods(plan.year, plan.cycle) if p <= period][-TREND_PERIODS:]
