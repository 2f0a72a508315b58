"""Reporting periods (tasks.periods): pure functions, no database.

Runs with and without pytest-django:
    python -m pytest tests/test_periods.py -q -p no:django
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tasks.periods import (
    DEFAULT_TZ,
    MONTHLY,
    WEEKLY,
    Period,
    as_of_for_plan,
    due_at,
    is_late,
    iso_weeks_in_year,
    parse_period_key,
    period_containing,
    periods_between,
    plan_periods,
)

SH = ZoneInfo("Asia/Shanghai")
CST = timezone(timedelta(hours=8))


def _days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


# --- Period: the 2022 examples --------------------------------------------------------------------


def test_week_20_of_2022():
    p = Period(WEEKLY, 2022, 20)
    assert p.start == date(2022, 5, 16)
    assert p.end == date(2022, 5, 22)
    assert p.key == "2022-W20"
    assert str(p) == "2022-W20"
    assert p.label == "2022年第20周（5月16日—5月22日）"
    assert p.short_label == "第20周（5月16日—5月22日）"


@pytest.mark.parametrize("d", list(_days(date(2022, 5, 16), date(2022, 5, 22))))
def test_every_day_of_may_16_to_22_is_week_20(d):
    assert period_containing(d) == Period(WEEKLY, 2022, 20)
    assert period_containing(d, WEEKLY).contains(d)


def test_new_years_day_2022_belongs_to_2021_w52():
    p = period_containing(date(2022, 1, 1))
    assert p == Period(WEEKLY, 2021, 52)
    assert (p.start, p.end) == (date(2021, 12, 27), date(2022, 1, 2))
    assert p.key == "2021-W52"


def test_weeks_per_year():
    assert iso_weeks_in_year(2022) == 52
    assert iso_weeks_in_year(2020) == 53
    assert iso_weeks_in_year(2015) == 53
    assert iso_weeks_in_year(2026) == 53
    assert iso_weeks_in_year(2024) == 52


def test_week_53_exists_only_in_long_years():
    assert Period(WEEKLY, 2020, 53).end == date(2021, 1, 3)
    with pytest.raises(ValueError, match="2022年只有52周"):
        Period(WEEKLY, 2022, 53)


@pytest.mark.parametrize(
    ("cycle", "year", "index"),
    [
        (WEEKLY, 2022, 0),
        (WEEKLY, 2022, 54),
        (MONTHLY, 2022, 0),
        (MONTHLY, 2022, 13),
        ("daily", 2022, 1),
        (WEEKLY, 0, 1),
    ],
)
def test_invalid_periods_are_refused(cycle, year, index):
    with pytest.raises(ValueError):
        Period(cycle, year, index)


# --- labels around New Year -----------------------------------------------------------------------


def test_label_of_week_ending_in_next_year_names_the_end_year():
    p = Period(WEEKLY, 2022, 52)
    assert (p.start, p.end) == (date(2022, 12, 26), date(2023, 1, 1))
    assert p.label == "2022年第52周（12月26日—2023年1月1日）"
    assert p.short_label == "第52周（12月26日—2023年1月1日）"


def test_label_of_week_1_starting_in_previous_year_names_the_start_year():
    # 2020-W01 is Mon 2019-12-30 .. Sun 2020-01-05: without the year, "12月30日" would read as
    # December 2020.
    p = Period(WEEKLY, 2020, 1)
    assert (p.start, p.end) == (date(2019, 12, 30), date(2020, 1, 5))
    assert p.label == "2020年第1周（2019年12月30日—1月5日）"


def test_label_of_2021_w52_which_ends_in_2022():
    assert Period(WEEKLY, 2021, 52).label == "2021年第52周（12月27日—2022年1月2日）"


def test_label_of_week_53():
    assert Period(WEEKLY, 2020, 53).label == "2020年第53周（12月28日—2021年1月3日）"


def test_label_of_week_1_entirely_in_its_year():
    p = Period(WEEKLY, 2024, 1)
    assert p.label == "2024年第1周（1月1日—1月7日）"
    assert p.short_label == "第1周（1月1日—1月7日）"


def test_short_labels_fit_an_excel_sheet_title():
    # Excel: at most 31 characters, none of []:*?/\
    for year in (2020, 2021, 2022, 2023):
        for p in plan_periods(year) + plan_periods(year, MONTHLY):
            assert len(p.short_label) <= 31
            assert not set(p.short_label) & set("[]:*?/\\")


# --- months ---------------------------------------------------------------------------------------


def test_month():
    p = Period(MONTHLY, 2022, 5)
    assert (p.start, p.end) == (date(2022, 5, 1), date(2022, 5, 31))
    assert p.key == "2022-05"
    assert p.label == "2022年5月"
    assert p.short_label == "5月"
    assert period_containing(date(2022, 5, 31), MONTHLY) == p
    assert period_containing(date(2022, 6, 1), MONTHLY) != p


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [(2022, 2, 28), (2024, 2, 29), (2100, 2, 28), (2000, 2, 29), (2022, 4, 30), (2022, 12, 31)],
)
def test_month_end(year, month, last):
    assert Period(MONTHLY, year, month).end == date(year, month, last)


def test_next_and_previous_cross_year():
    assert Period(MONTHLY, 2022, 12).next() == Period(MONTHLY, 2023, 1)
    assert Period(MONTHLY, 2023, 1).previous() == Period(MONTHLY, 2022, 12)
    assert Period(WEEKLY, 2022, 52).next() == Period(WEEKLY, 2023, 1)
    assert Period(WEEKLY, 2020, 52).next() == Period(WEEKLY, 2020, 53)
    assert Period(WEEKLY, 2020, 53).next() == Period(WEEKLY, 2021, 1)
    assert Period(WEEKLY, 2021, 1).previous() == Period(WEEKLY, 2020, 53)


def test_ordering_is_chronological_within_a_cycle():
    weeks = [Period(WEEKLY, 2023, 1), Period(WEEKLY, 2022, 52), Period(WEEKLY, 2022, 2)]
    assert sorted(weeks) == [weeks[2], weeks[1], weeks[0]]
    assert Period(MONTHLY, 2022, 9) < Period(MONTHLY, 2022, 10)  # not "09" vs "10" as text


def test_periods_are_hashable_values():
    assert {Period(WEEKLY, 2022, 20), parse_period_key("2022-W20")} == {Period(WEEKLY, 2022, 20)}


def test_contains_refuses_datetimes():
    with pytest.raises(TypeError):
        Period(WEEKLY, 2022, 20).contains(datetime(2022, 5, 16, 12, tzinfo=UTC))
    with pytest.raises(TypeError):
        period_containing(datetime(2022, 5, 16, 12))


@pytest.mark.parametrize("cycle", [WEEKLY, MONTHLY])
def test_invariants_over_many_years(cycle):
    """Exhaustive stand-in for property tests: every day 2015..2030."""
    previous = None
    for d in _days(date(2015, 1, 1), date(2030, 12, 31)):
        p = period_containing(d, cycle)
        assert p.contains(d)
        assert p.start <= d <= p.end
        assert not p.contains(p.start - timedelta(days=1))
        assert not p.contains(p.end + timedelta(days=1))
        assert parse_period_key(p.key) == p
        if previous is not None and previous != p:
            # consecutive, gapless, non-overlapping
            assert previous.next() == p
            assert p.previous() == previous
            assert previous.end + timedelta(days=1) == p.start
            assert previous < p
        if cycle == WEEKLY:
            assert p.start.weekday() == 0 and p.end.weekday() == 6
        previous = p


# --- parse_period_key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2022-W20", Period(WEEKLY, 2022, 20)),
        ("2022-w20", Period(WEEKLY, 2022, 20)),
        ("2022-W01", Period(WEEKLY, 2022, 1)),
        ("2022-W1", Period(WEEKLY, 2022, 1)),
        ("2020-W53", Period(WEEKLY, 2020, 53)),
        (" 2022-W20 ", Period(WEEKLY, 2022, 20)),
        ("2022-05", Period(MONTHLY, 2022, 5)),
        ("2022-12", Period(MONTHLY, 2022, 12)),
    ],
)
def test_parse_period_key(key, expected):
    assert parse_period_key(key) == expected


@pytest.mark.parametrize(
    "key",
    ["", "2022", "2022W20", "2022-W", "2022-W0", "2022-W54", "22-W20", "2022-W20x", "W20",
     "2022/05", "2022-05-01", "二〇二二-W20", "0000-W01"],
)  # fmt: skip
def test_parse_period_key_rejects_with_a_chinese_message(key):
    with pytest.raises(ValueError, match="2022-W20"):
        parse_period_key(key)


@pytest.mark.parametrize("key", ["2022-13", "2022-00"])
def test_parse_bad_month(key):
    with pytest.raises(ValueError, match="月份格式应为 2022-05"):
        parse_period_key(key)


def test_parse_week_53_in_a_52_week_year():
    with pytest.raises(ValueError, match="2022年没有第53周") as info:
        parse_period_key("2022-W53")
    assert "周次格式应为 2022-W20" in str(info.value)


def test_parse_error_message_for_bad_format():
    with pytest.raises(ValueError, match="周次格式应为 2022-W20"):
        parse_period_key("week 20")


def test_parse_restricted_to_a_cycle():
    assert parse_period_key("2022-W20", WEEKLY) == Period(WEEKLY, 2022, 20)
    assert parse_period_key("2022-05", MONTHLY) == Period(MONTHLY, 2022, 5)
    with pytest.raises(ValueError, match="周次格式应为 2022-W20"):
        parse_period_key("2022-05", WEEKLY)
    with pytest.raises(ValueError, match="月份格式应为 2022-05"):
        parse_period_key("2022-W20", MONTHLY)


# --- periods_between / plan_periods ---------------------------------------------------------------


def test_periods_between_includes_partially_overlapping_periods():
    # Wed 2022-05-18 .. Tue 2022-05-31: the tail of W20, all of W21, the head of W22.
    assert [p.key for p in periods_between(date(2022, 5, 18), date(2022, 5, 31))] == [
        "2022-W20",
        "2022-W21",
        "2022-W22",
    ]
    assert [p.key for p in periods_between(date(2022, 5, 18), date(2022, 7, 1), MONTHLY)] == [
        "2022-05",
        "2022-06",
        "2022-07",
    ]


def test_periods_between_single_day_and_empty():
    assert periods_between(date(2022, 5, 18), date(2022, 5, 18)) == [Period(WEEKLY, 2022, 20)]
    assert periods_between(date(2022, 5, 19), date(2022, 5, 18)) == []


def test_periods_between_exact_week_boundaries():
    # Monday..Sunday is exactly one week; Sunday..Monday touches two.
    assert len(periods_between(date(2022, 5, 16), date(2022, 5, 22))) == 1
    assert len(periods_between(date(2022, 5, 22), date(2022, 5, 23))) == 2


def test_plan_periods_2022_weekly():
    periods = plan_periods(2022)
    assert periods[0] == Period(WEEKLY, 2021, 52)  # holds Jan 1-2
    assert periods[-1] == Period(WEEKLY, 2022, 52)  # ends Jan 1 2023
    assert len(periods) == 53
    assert periods == sorted(periods)
    assert sum(1 for p in periods if p.year == 2022) == 52


def test_plan_periods_2020_has_week_53_and_starts_with_week_1():
    periods = plan_periods(2020)
    assert periods[0] == Period(WEEKLY, 2020, 1)  # starts Dec 30 2019
    assert periods[-1] == Period(WEEKLY, 2020, 53)
    assert len(periods) == 53


def test_plan_periods_2024_starts_on_a_monday():
    periods = plan_periods(2024)
    assert periods[0] == Period(WEEKLY, 2024, 1)
    assert periods[0].start == date(2024, 1, 1)
    assert periods[-1] == Period(WEEKLY, 2025, 1)  # Mon Dec 30 2024 .. Sun Jan 5 2025
    assert len(periods) == 53


def test_plan_periods_monthly():
    periods = plan_periods(2022, MONTHLY)
    assert [p.index for p in periods] == list(range(1, 13))
    assert {p.year for p in periods} == {2022}
    assert periods[0].label == "2022年1月"


def test_unknown_cycle():
    with pytest.raises(ValueError):
        plan_periods(2022, "quarterly")
    with pytest.raises(ValueError):
        period_containing(date(2022, 1, 1), "daily")


# --- due_at / is_late -----------------------------------------------------------------------------


def test_due_at_week_20_is_thursday_17_shanghai():
    due = due_at(Period(WEEKLY, 2022, 20), tz=SH)
    assert due == datetime(2022, 5, 19, 17, 0, tzinfo=CST)
    assert due.isoformat() == "2022-05-19T17:00:00+08:00"
    assert due.tzinfo is SH


def test_default_tz_is_shanghai():
    assert due_at(Period(WEEKLY, 2022, 20), tz=DEFAULT_TZ).utcoffset() == timedelta(hours=8)


def test_due_at_weekday_counts_within_the_periods_own_week():
    p = Period(WEEKLY, 2022, 52)  # Dec 26 2022 .. Jan 1 2023
    assert due_at(p, tz=SH, weekday=0).date() == date(2022, 12, 26)
    assert due_at(p, tz=SH, weekday=6).date() == date(2023, 1, 1)
    assert due_at(p, tz=SH, weekday=4, at=time(12, 30)) == datetime(
        2022, 12, 30, 12, 30, tzinfo=CST
    )


def test_due_at_monthly():
    assert due_at(Period(MONTHLY, 2022, 5), tz=SH) == datetime(2022, 5, 25, 17, tzinfo=CST)
    assert due_at(Period(MONTHLY, 2022, 5), tz=SH, month_day=1).date() == date(2022, 5, 1)
    # clipped to the month's last day
    assert due_at(Period(MONTHLY, 2022, 2), tz=SH, month_day=31).date() == date(2022, 2, 28)
    assert due_at(Period(MONTHLY, 2024, 2), tz=SH, month_day=30).date() == date(2024, 2, 29)
    assert due_at(Period(MONTHLY, 2022, 4), tz=SH, month_day=31).date() == date(2022, 4, 30)


def test_due_at_rejects_bad_parameters():
    p = Period(WEEKLY, 2022, 20)
    for kwargs in ({"weekday": 7}, {"weekday": -1}, {"month_day": 0}, {"month_day": 32}):
        with pytest.raises(ValueError):
            due_at(p, tz=SH, **kwargs)


def test_due_at_requires_a_time_zone():
    with pytest.raises(TypeError):
        due_at(Period(WEEKLY, 2022, 20))  # type: ignore[call-arg]


def test_due_at_ignores_a_tzinfo_on_at():
    due = due_at(Period(WEEKLY, 2022, 20), tz=SH, at=time(17, tzinfo=UTC))
    assert due == datetime(2022, 5, 19, 17, tzinfo=CST)


def test_is_late_boundaries():
    p = Period(WEEKLY, 2022, 20)
    assert not is_late(datetime(2022, 5, 19, 16, 59, 59, tzinfo=SH), p, tz=SH)
    assert not is_late(datetime(2022, 5, 19, 17, 0, 0, tzinfo=SH), p, tz=SH)
    assert is_late(datetime(2022, 5, 19, 17, 0, 1, tzinfo=SH), p, tz=SH)
    assert is_late(datetime(2022, 5, 20, 9, 0, tzinfo=SH), p, tz=SH)
    assert not is_late(datetime(2022, 5, 16, 8, 0, tzinfo=SH), p, tz=SH)


def test_is_late_compares_instants_across_zones():
    p = Period(WEEKLY, 2022, 20)
    # 09:00 UTC is 17:00 in Shanghai: on time; 09:01 UTC is late.
    assert not is_late(datetime(2022, 5, 19, 9, 0, tzinfo=UTC), p, tz=SH)
    assert is_late(datetime(2022, 5, 19, 9, 1, tzinfo=UTC), p, tz=SH)


def test_is_late_passes_due_parameters_through():
    p = Period(MONTHLY, 2022, 5)
    submitted = datetime(2022, 5, 26, 10, tzinfo=SH)
    assert is_late(submitted, p, tz=SH)
    assert not is_late(submitted, p, tz=SH, month_day=28)
    w = Period(WEEKLY, 2022, 20)
    friday_noon = datetime(2022, 5, 20, 12, tzinfo=SH)
    assert is_late(friday_noon, w, tz=SH)
    assert not is_late(friday_noon, w, tz=SH, weekday=4, at=time(18))


def test_is_late_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        is_late(datetime(2022, 5, 19, 12), Period(WEEKLY, 2022, 20), tz=SH)


# --- as_of_for_plan -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2022, 5, 18), date(2022, 5, 18)),
        (date(2022, 1, 1), date(2022, 1, 1)),
        (date(2022, 12, 31), date(2022, 12, 31)),
        (date(2023, 1, 1), date(2022, 12, 31)),  # past plan
        (date(2025, 6, 1), date(2022, 12, 31)),
        (date(2021, 12, 31), date(2022, 1, 1)),  # future plan
        (date(2019, 3, 3), date(2022, 1, 1)),
    ],
)
def test_as_of_for_plan(today, expected):
    assert as_of_for_plan(2022, today) == expected
