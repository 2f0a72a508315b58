"""Reporting periods as users name them: ISO weeks ("2022-W20") and calendar months ("2022-05").

Pure module: no Django, no database, no "now". Every function takes its dates; the caller
reads the clock (tasks.clock) and passes ``today`` in.

Weeks follow ISO 8601 (Monday..Sunday, week 1 holds the year's first Thursday), which is how
the 督查 office numbers them ("第20周"). A week's ``year`` is therefore its ISO year:
2022-01-01 (a Saturday) belongs to 2021-W52.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

WEEKLY, MONTHLY = "weekly", "monthly"
CYCLES = (WEEKLY, MONTHLY)

#: The office's time zone; pass it as ``tz=`` to :func:`due_at` / :func:`is_late`.
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_WEEKDAY = 3  # Thursday (0 = Monday)
DEFAULT_DUE_TIME = time(17, 0)
DEFAULT_MONTH_DAY = 25

_WEEK_KEY = re.compile(r"(\d{4})-[Ww](\d{1,2})")
_MONTH_KEY = re.compile(r"(\d{4})-(\d{1,2})")

_WEEK_FORMAT = "周次格式应为 2022-W20"
_OUT_OF_RANGE = "超出可用的日期范围（公元1年1月1日至9999年12月31日）"
_MONTH_FORMAT = "月份格式应为 2022-05"


def iso_weeks_in_year(year: int) -> int:
    """52 or 53: the number of ISO weeks of ``year`` (Dec 28 is always in the last week)."""
    return date(year, 12, 28).isocalendar().week


def _check_cycle(cycle: str) -> None:
    if cycle not in CYCLES:
        raise ValueError(f"unknown reporting cycle {cycle!r}; expected {WEEKLY!r} or {MONTHLY!r}")


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. Ordering is chronological within one cycle."""

    cycle: str  # WEEKLY or MONTHLY
    year: int  # ISO year for weeks, calendar year for months
    index: int  # ISO week number 1..53 or month 1..12

    def __post_init__(self) -> None:
        _check_cycle(self.cycle)
        if not 1 <= self.year <= 9999:
            raise ValueError(f"年份应在 1–9999 之间，收到 {self.year}")
        if self.cycle == WEEKLY:
            weeks = iso_weeks_in_year(self.year)
            if not 1 <= self.index <= weeks:
                raise ValueError(f"{self.year}年只有{weeks}周，没有第{self.index}周")
            try:  # 9999-W52 ends on a Sunday in year 10000, which a date cannot hold
                date.fromisocalendar(self.year, self.index, 7)
            except ValueError:
                raise ValueError(f"{self.year}年第{self.index}周{_OUT_OF_RANGE}") from None
        elif not 1 <= self.index <= 12:
            raise ValueError(f"月份应在 1–12 之间，收到 {self.index}")

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> date:
        """Monday of the ISO week / the first of the month."""
        if self.cycle == WEEKLY:
            return date.fromisocalendar(self.year, self.index, 1)
        return date(self.year, self.index, 1)

    @property
    def end(self) -> date:
        """Sunday of the ISO week / the last day of the month (inclusive)."""
        if self.cycle == WEEKLY:
            return date.fromisocalendar(self.year, self.index, 7)
        return date(self.year, self.index, calendar.monthrange(self.year, self.index)[1])

    @property
    def key(self) -> str:
        """Stable identifier used in URLs and on the command line: "2022-W20" / "2022-05"."""
        if self.cycle == WEEKLY:
            return f"{self.year:04d}-W{self.index:02d}"
        return f"{self.year:04d}-{self.index:02d}"

    @property
    def _range_text(self) -> str:
        # Month/day on both ends; an end whose calendar year differs from the period's (ISO)
        # year gets its year written out, so a week that straddles New Year is never
        # ambiguous: "2022年第52周（12月26日—2023年1月1日）",
        #            "2020年第1周（2019年12月30日—1月5日）".
        start, end = self.start, self.end
        first = _md(start) if start.year == self.year else f"{start.year}年{_md(start)}"
        last = _md(end) if end.year == self.year else f"{end.year}年{_md(end)}"
        return f"（{first}—{last}）"

    @property
    def label(self) -> str:
        """For people: 2022年第20周（5月16日—5月22日） / 2022年5月."""
        if self.cycle == WEEKLY:
            return f"{self.year}年第{self.index}周{self._range_text}"
        return f"{self.year}年{self.index}月"

    @property
    def short_label(self) -> str:
        """Without the year, for sheet titles: "第20周（5月16日—5月22日）" / "5月"."""
        if self.cycle == WEEKLY:
            return f"第{self.index}周{self._range_text}"
        return f"{self.index}月"

    def contains(self, d: date) -> bool:
        return self.start <= _as_date(d) <= self.end

    # One day past the edge; any day of the neighbouring period would do (a week or a month is
    # longer than 2 days), so the mutants that step 2 days survive and change nothing.
    def next(self) -> Period:
        return period_containing(_day_after(self.end, 1), self.cycle)

    def previous(self) -> Period:
        return period_containing(_day_after(self.start, -1), self.cycle)


def _day_after(d: date, days: int) -> date:
    # Past 9999-12-31 or before 0001-01-01: the user-facing ValueError, not an OverflowError.
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise ValueError(_OUT_OF_RANGE) from None


def _as_date(d: date) -> date:
    # A datetime is a date subclass, but an aware UTC datetime can fall on another local day
    # than the user sees; make the caller convert (timezone.localdate) instead of guessing.
    if isinstance(d, datetime):
        raise TypeError("pass a date, not a datetime (convert to local time first)")
    return d


def period_containing(d: date, cycle: str = WEEKLY) -> Period:
    _check_cycle(cycle)
    d = _as_date(d)
    if cycle == WEEKLY:
        iso = d.isocalendar()
        return Period(WEEKLY, iso.year, iso.week)
    return Period(MONTHLY, d.year, d.month)


def parse_period_key(key: str, cycle: str | None = None) -> Period:
    """Parse "2022-W20" / "2022-w20" (weeks) or "2022-05" (months).

    ``cycle`` (optional) restricts the accepted form, e.g. ``--week`` passes ``WEEKLY`` so that
    "2022-05" is refused rather than silently read as a month. Raises ValueError with a
    user-facing Chinese message.
    """
    if cycle is not None:
        _check_cycle(cycle)
    hint = {WEEKLY: _WEEK_FORMAT, MONTHLY: _MONTH_FORMAT}.get(
        cycle, f"{_WEEK_FORMAT}（按周）或 2022-05（按月）"
    )
    # A non-string key matches no pattern and is refused below, quoting ``key`` itself (so
    # what stands in for it here, "" or any other non-key, changes nothing).
    text = key.strip() if isinstance(key, str) else ""
    week = _WEEK_KEY.fullmatch(text)
    month = _MONTH_KEY.fullmatch(text)
    if week and cycle in (None, WEEKLY):
        year, index = int(week[1]), int(week[2])
        weeks = iso_weeks_in_year(year) if year >= 1 else 0
        if not year or not 1 <= index <= weeks:
            raise ValueError(f"{year}年没有第{index}周（共{weeks}周），{_WEEK_FORMAT}")
        return Period(WEEKLY, year, index)
    if month and cycle in (None, MONTHLY):
        year, index = int(month[1]), int(month[2])
        if not year or not 1 <= index <= 12:
            raise ValueError(f"月份应在 01–12 之间，{_MONTH_FORMAT}")
        return Period(MONTHLY, year, index)
    raise ValueError(f"无法识别“{key}”，{hint}")


def periods_between(first: date, last: date, cycle: str = WEEKLY) -> list[Period]:
    """Every period overlapping [first, last] (both inclusive), in order; [] if first > last."""
    _check_cycle(cycle)
    first, last = _as_date(first), _as_date(last)
    if first > last:
        return []
    periods = [period_containing(first, cycle)]
    while periods[-1].end < last:
        periods.append(periods[-1].next())
    return periods


def due_at(
    period: Period,
    *,
    tz: tzinfo,
    weekday: int = DEFAULT_WEEKDAY,
    at: time = DEFAULT_DUE_TIME,
    month_day: int = DEFAULT_MONTH_DAY,
) -> datetime:
    """The aware deadline of a period's report.

    Weekly: ``weekday`` (0 = Monday .. 6 = Sunday; default Thursday) of the period's own week.
    Monthly: day ``month_day`` (default 25), clipped to the month's last day (31 → Feb 28/29).
    ``weekday`` is ignored for months and ``month_day`` for weeks.
    """
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday)..6 (Sunday), got {weekday}")
    if not 1 <= month_day <= 31:
        raise ValueError(f"month_day must be 1..31, got {month_day}")
    if period.cycle == WEEKLY:
        day = period.start + timedelta(days=weekday)
    else:
        day = date(period.year, period.index, min(month_day, period.end.day))
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)


def is_late(submitted_at: datetime, period: Period, **due_kwargs) -> bool:
    """True when submitted strictly after the deadline (exactly at 17:00:00 is on time).

    ``due_kwargs`` go to :func:`due_at` (``tz`` is required). ``submitted_at`` must be aware.
    """
    if submitted_at.tzinfo is None or submitted_at.utcoffset() is None:
        raise ValueError("submitted_at must be an aware datetime")
    return submitted_at > due_at(period, **due_kwargs)


def plan_periods(year: int, cycle: str = WEEKLY) -> list[Period]:
    """The periods of a plan year: every period overlapping Jan 1..Dec 31 of ``year``.

    For weeks this includes the ISO weeks straddling New Year at both ends (2022 → 2021-W52 ..
    2022-W52, 53 periods), because tasks are reported on in those weeks too.
    """
    return periods_between(date(year, 1, 1), date(year, 12, 31), cycle)


def as_of_for_plan(plan_year: int, today: date) -> date:
    """The as-of date for a plan: today within the plan's year, else the nearest end of it.

    Past plans are seen as of Dec 31 (final state), future plans as of Jan 1.
    """
    today = _as_date(today)
    if today.year < plan_year:
        return date(plan_year, 1, 1)
    if today.year > plan_year:
        return date(plan_year, 12, 31)
    return today


def period_label(value: Period | str) -> str:
    """How a period is written wherever a person reads it: "第19周（5月9日—5月15日）" for a
    week, "2022年5月" for a month; never the key "2022-W19". Takes a Period or its key (a
    string that is not a key comes back unchanged)."""
    if not isinstance(value, Period):
        try:
            value = parse_period_key(value)
        except ValueError:
            return str(value)
    return value.short_label if value.cycle == WEEKLY else value.label
