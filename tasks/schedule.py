"""The beat schedule, built by one small tested function from the environment.

WEEKLY_ROLLUP_SCHEDULE: "fri 18:00" (default), any "<weekday> HH:MM", or "disable".
REMINDER_BEFORE_DUE ("thu 09:00") and REMINDER_AFTER_DUE ("fri 09:00"): the same format.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from .periods import Period

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class WeeklyAt:
    weekday: int  # 0 = Monday
    time: datetime.time


def parse_weekly_at(value: str, name: str = "WEEKLY_ROLLUP_SCHEDULE") -> WeeklyAt | None:
    """'fri 18:00' → WeeklyAt(4, 18:00); 'disable' → None; anything else → ValueError.

    `name` is the setting the value came from, for the error message.
    """
    text = (value or "").strip().lower()
    if text in {"disable", "disabled", "off"}:
        return None
    match = re.fullmatch(r"(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d{2})", text)
    if not match:
        raise ValueError(f"{name}={value!r}: expected '<mon..sun> HH:MM' or 'disable'")
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise ValueError(f"{name}={value!r}: no such time of day")
    return WeeklyAt(WEEKDAYS[match[1]], datetime.time(hour, minute))


def weekly_rollup_setting() -> WeeklyAt | None:
    return parse_weekly_at(settings.WEEKLY_ROLLUP_SCHEDULE)


def roll_up_moment(period: Period, at: WeeklyAt) -> datetime.datetime:
    """When the scheduled roll-up of a weekly period is due (aware, in the office's zone)."""
    day = period.start + datetime.timedelta(days=at.weekday)
    return datetime.datetime.combine(day, at.time, tzinfo=ZoneInfo(settings.TIME_ZONE))


# Reminder kinds the beat sends, and the setting that says when.
REMINDER_SETTINGS = {"before_due": "REMINDER_BEFORE_DUE", "after_due": "REMINDER_AFTER_DUE"}


def reminder_setting(kind: str) -> WeeklyAt | None:
    """When the automatic reminder of `kind` ("before_due" / "after_due") goes out, or None."""
    name = REMINDER_SETTINGS[kind]
    return parse_weekly_at(getattr(settings, name), name)
