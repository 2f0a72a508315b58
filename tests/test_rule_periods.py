"""Edges of the reporting periods (tasks.periods) found by mutation testing (benchmarks/mutate.py).

Pure: runs with and without pytest-django (``-p no:django``).
"""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from tasks.periods import (
    MONTHLY,
    WEEKLY,
    Period,
    due_at,
    is_late,
    parse_period_key,
    period_containing,
    plan_periods,
)

SH = ZoneInfo("Asia/Shanghai")

# --- a plan year whose 1 January is a Sunday ------------------------------------------------------


@pytest.mark.parametrize("year", [2017, 2023])
def test_a_year_starting_on_a_sunday_keeps_the_previous_years_w52(year):
    assert date(year, 1, 1).isoweekday() == 7
    periods = plan_periods(year)
    # 1 January is the last day of the previous ISO year's W52: units report on it in that week.
    assert periods[0] == Period(WEEKLY, year - 1, 52)
    assert periods[0].contains(date(year, 1, 1))
    assert periods[1] == Period(WEEKLY, year, 1)
    assert periods[1].start == date(year, 1, 2)
    assert periods[-1] == Period(WEEKLY, year, 52)
    assert periods[-1].end == date(year, 12, 31)
    assert len(periods) == 53


def test_a_year_starting_on_a_sunday_labels_its_first_week_across_new_year():
    assert plan_periods(2023)[0].label == "2022年第52周（12月26日—2023年1月1日）"


def test_a_year_starting_on_a_monday_begins_with_its_own_w01():
    # 2024: no week straddles New Year at the start, and nothing before 1 January is included.
    assert plan_periods(2024)[0] == Period(WEEKLY, 2024, 1)
    assert plan_periods(2024)[0].start == date(2024, 1, 1)


# --- years at the edges of the calendar (1, 9999) -------------------------------------------------


def test_the_first_week_and_month_of_year_1_parse():
    week = parse_period_key("0001-W01")
    assert (week.start, week.end) == (date(1, 1, 1), date(1, 1, 7))
    assert week.label == "1年第1周（1月1日—1月7日）"
    month = parse_period_key("0001-01")
    assert (month.start, month.end) == (date(1, 1, 1), date(1, 1, 31))


def test_the_last_month_of_year_9999_parses_and_its_last_whole_week_too():
    month = parse_period_key("9999-12")
    assert (month.start, month.end) == (date(9999, 12, 1), date(9999, 12, 31))
    week = parse_period_key("9999-W51")
    assert week.end == date(9999, 12, 26)


def test_9999_w52_which_ends_in_year_10000_is_refused_in_chinese():
    with pytest.raises(ValueError, match="9999年第52周超出可用的日期范围"):
        parse_period_key("9999-W52")
    with pytest.raises(ValueError, match="超出可用的日期范围"):
        Period(WEEKLY, 9999, 52)
    with pytest.raises(ValueError, match="超出可用的日期范围"):
        period_containing(date(9999, 12, 31))


@pytest.mark.parametrize(
    "period, step",
    [
        (Period(WEEKLY, 1, 1), "previous"),
        (Period(MONTHLY, 1, 1), "previous"),
        (Period(MONTHLY, 9999, 12), "next"),
        (Period(WEEKLY, 9999, 51), "next"),
    ],
)
def test_stepping_off_the_calendar_is_a_chinese_value_error(period, step):
    with pytest.raises(ValueError, match="超出可用的日期范围"):
        getattr(period, step)()


def test_stepping_inside_the_edge_years_works():
    assert Period(WEEKLY, 1, 1).next() == Period(WEEKLY, 1, 2)
    assert Period(MONTHLY, 9999, 12).previous() == Period(MONTHLY, 9999, 11)
    assert Period(WEEKLY, 9999, 51).previous() == Period(WEEKLY, 9999, 50)


def test_plan_years_at_the_edges():
    assert plan_periods(1)[0] == Period(WEEKLY, 1, 1)
    assert len(plan_periods(9999, MONTHLY)) == 12
    with pytest.raises(ValueError, match="超出可用的日期范围"):
        plan_periods(9999)


@pytest.mark.parametrize(
    "key, message",
    [
        ("0000-W01", "0年没有第1周（共0周），周次格式应为 2022-W20"),
        ("0000-01", "月份应在 01–12 之间，月份格式应为 2022-05"),
    ],
)
def test_year_0_is_refused_in_chinese(key, message):
    with pytest.raises(ValueError) as refused:
        parse_period_key(key)
    assert str(refused.value) == message


@pytest.mark.parametrize("year", [0, 10000])
def test_a_period_outside_years_1_to_9999_is_refused_in_chinese(year):
    with pytest.raises(ValueError) as refused:
        Period(MONTHLY, year, 1)
    assert str(refused.value) == f"年份应在 1–9999 之间，收到 {year}"


def test_period_errors_name_the_year_and_the_index():
    with pytest.raises(ValueError) as refused:
        Period(WEEKLY, 2022, 53)
    assert str(refused.value) == "2022年只有52周，没有第53周"
    with pytest.raises(ValueError) as refused:
        Period(MONTHLY, 2022, 13)
    assert str(refused.value) == "月份应在 1–12 之间，收到 13"


# --- keys that are not strings --------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, 2022, b"2022-W20", ["2022-W20"]])
def test_a_non_string_key_is_refused_in_chinese(key):
    with pytest.raises(ValueError) as refused:
        parse_period_key(key)
    assert str(refused.value) == (
        f"无法识别“{key}”，周次格式应为 2022-W20（按周）或 2022-05（按月）"
    )


@pytest.mark.parametrize(
    "cycle, hint",
    [(WEEKLY, "周次格式应为 2022-W20"), (MONTHLY, "月份格式应为 2022-05")],
)
def test_a_non_string_key_for_one_cycle_gets_that_cycles_hint(cycle, hint):
    with pytest.raises(ValueError) as refused:
        parse_period_key(None, cycle)
    assert str(refused.value) == f"无法识别“None”，{hint}"


def test_surrounding_spaces_are_ignored():
    assert parse_period_key(" 2022-W20 ") == Period(WEEKLY, 2022, 20)


# --- programming errors say what is wrong ---------------------------------------------------------


def test_an_unknown_cycle_names_the_choices():
    with pytest.raises(ValueError) as refused:
        period_containing(date(2022, 1, 1), "daily")
    assert str(refused.value) == "unknown reporting cycle 'daily'; expected 'weekly' or 'monthly'"


def test_a_datetime_is_refused_with_the_fix():
    with pytest.raises(TypeError) as refused:
        period_containing(datetime(2022, 5, 16, 12))
    assert str(refused.value) == "pass a date, not a datetime (convert to local time first)"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weekday": 7}, "weekday must be 0 (Monday)..6 (Sunday), got 7"),
        ({"month_day": 32}, "month_day must be 1..31, got 32"),
    ],
)
def test_due_at_bad_parameters_are_named(kwargs, message):
    with pytest.raises(ValueError) as refused:
        due_at(Period(WEEKLY, 2022, 20), tz=SH, **kwargs)
    assert str(refused.value) == message


class _NoOffset(tzinfo):
    """A tzinfo that does not know its offset: the datetime is still naive (Python docs)."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return None


@pytest.mark.parametrize("tz", [None, _NoOffset()], ids=["no tzinfo", "tzinfo without offset"])
def test_is_late_refuses_a_naive_datetime_even_with_a_tzinfo(tz):
    with pytest.raises(ValueError) as refused:
        is_late(datetime(2022, 5, 19, 12, tzinfo=tz), Period(WEEKLY, 2022, 20), tz=SH)
    assert str(refused.value) == "submitted_at must be an aware datetime"
