"""The beat schedule, built by one small tested function from the environment.

WEEKLY_ROLLUP_SCHEDULE: "fri 18:00" (default), any "<weekday> HH:MM", or "disable".
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.conf import settings

from tasks.periods import Period

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
CATCH_UP_MINUTES = 15


@dataclass(frozen=True)
class WeeklyAt:
    weekday: int  # 0 = Monday
    time: datetime.time


def parse_weekly_at(value: str) -> WeeklyAt | None:
    """'fri 18:00' → WeeklyAt(4, 18:00); 'disable' → None; anything else → ValueError."""
    text = (value or "").strip().lower()
    if text in {"disable", "disabled", "off"}:
        return None
    match = re.fullmatch(r"(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d{2})", text)
    if not match:
        raise ValueError(
            f"WEEKLY_ROLLUP_SCHEDULE={value!r}: expected '<mon..sun> HH:MM' or 'disable'"
        )
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise ValueError(f"WEEKLY_ROLLUP_SCHEDULE={value!r}: no such time of day")
    return WeeklyAt(WEEKDAYS[match[1]], datetime.time(hour, minute))


def weekly_rollup_setting() -> WeeklyAt | None:
    return parse_weekly_at(settings.WEEKLY_ROLLUP_SCHEDULE)


def roll_up_moment(period: Period, at: WeeklyAt) -> datetime.datetime:
    """When the scheduled roll-up of a weekly period is due (aware, in the office's zone)."""
    day = period.start + datetime.timedelta(days=at.weekday)
    return datetime.datetime.combine(day, at.time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def build_beat_schedule(value: str) -> dict:
    at = parse_weekly_at(value)
    if at is None:
        return {}
    cron_weekday = (at.weekday + 1) % 7  # crontab counts Sunday as 0
    return {
        "weekly-roll-up": {
            "task": "reports.jobs.roll_up_due_weeks",
            "schedule": crontab(minute=at.time.minute, hour=at.time.hour, day_of_week=cron_weekday),
        },
        "weekly-roll-up-catch-up": {
            "task": "reports.jobs.roll_up_due_weeks",
            "schedule": crontab(minute=f"*/{CATCH_UP_MINUTES}"),
        },
    }
