"""Edges of the on-schedule rule (tasks.status) found by mutation testing (benchmarks/mutate.py).

Pure: runs with and without pytest-django (``-p no:django``).
"""

from datetime import date, timedelta

import pytest

from tasks.status import Status, Thresholds, evaluate, expected_progress

DAY = date(2022, 6, 15)


def _evaluate(**overrides) -> Status:
    kwargs = {
        "as_of": DAY,
        "start": DAY,
        "end": DAY,
        "completion": None,
        "closed": False,
        "periods_since_last_report": 0,
        "periods_elapsed": 1,
    }
    kwargs.update(overrides)
    return evaluate(**kwargs)


# --- a one-day task (start == end) ----------------------------------------------------------------


def test_a_one_day_task_is_fully_due_on_its_day():
    assert expected_progress(DAY, DAY, DAY) == 100.0
    assert expected_progress(DAY - timedelta(days=1), DAY, DAY) == 0.0


def test_a_one_day_task_is_evaluated_not_refused():
    assert _evaluate(completion=100.0) == Status.ON_SCHEDULE
    assert _evaluate(completion=100.0, closed=True) == Status.DONE
    assert _evaluate(completion=0.0) == Status.SERIOUSLY_BEHIND
    assert _evaluate(as_of=DAY - timedelta(days=1)) == Status.NOT_STARTED
    assert _evaluate(as_of=DAY + timedelta(days=1), completion=50.0) == Status.SERIOUSLY_BEHIND


def test_a_reversed_span_is_refused_with_both_dates():
    with pytest.raises(ValueError, match="start 2022-06-16 is after end 2022-06-15"):
        expected_progress(DAY, DAY + timedelta(days=1), DAY)
    with pytest.raises(ValueError, match="start 2022-06-16 is after end 2022-06-15"):
        _evaluate(start=DAY + timedelta(days=1))


# --- a task without a figure counts as 0 %, just over a threshold ---------------------------------

# 200-day span from Jan 1: on day 21, 序时进度 is 21/200 = 10.5 %.
SPAN = {"start": date(2022, 1, 1), "end": date(2022, 1, 1) + timedelta(days=199)}
DAY_21 = date(2022, 1, 21)


def test_the_span_puts_expected_progress_at_10_5():
    assert expected_progress(DAY_21, **SPAN) == 10.5


def test_a_reported_task_without_a_figure_at_10_5_expected_is_behind():
    # 0 % against 10.5 %: a gap of 10.5, more than the yellow 10 points. Counting the missing
    # figure as anything above 0.5 % would hide it.
    assert _evaluate(as_of=DAY_21, **SPAN, periods_elapsed=3) == Status.BEHIND


def test_the_same_with_a_figure_of_1_percent_is_on_schedule():
    assert _evaluate(as_of=DAY_21, **SPAN, completion=1.0, periods_elapsed=3) == Status.ON_SCHEDULE


def test_a_never_reported_task_in_its_grace_period_counts_as_0_percent():
    status = _evaluate(as_of=DAY_21, **SPAN, periods_since_last_report=None, periods_elapsed=1)
    assert status == Status.BEHIND


# --- threshold settings at their edges ------------------------------------------------------------


def test_yellow_at_zero_is_accepted_and_any_shortfall_is_behind():
    zero = Thresholds(yellow_points=0)
    assert zero.yellow_points == 0
    assert _evaluate(as_of=DAY_21, **SPAN, completion=10.4, thresholds=zero) == Status.BEHIND
    assert _evaluate(as_of=DAY_21, **SPAN, completion=10.5, thresholds=zero) == Status.ON_SCHEDULE


def test_yellow_equal_to_red_is_accepted_and_skips_the_yellow_light():
    same = Thresholds(yellow_points=5, red_points=5)
    assert _evaluate(as_of=DAY_21, **SPAN, completion=5.5, thresholds=same) == Status.ON_SCHEDULE
    assert (
        _evaluate(as_of=DAY_21, **SPAN, completion=5.4, thresholds=same) == Status.SERIOUSLY_BEHIND
    )


def test_both_thresholds_at_zero_are_accepted():
    assert Thresholds(yellow_points=0, red_points=0).red_points == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"yellow_points": -1}, "thresholds need 0 <= yellow_points <= red_points"),
        ({"yellow_points": 31}, "thresholds need 0 <= yellow_points <= red_points"),
        ({"silent_periods": 0}, "silent_periods must be at least 1"),
    ],
)
def test_thresholds_out_of_range_are_refused_with_the_rule(kwargs, message):
    with pytest.raises(ValueError) as refused:
        Thresholds(**kwargs)
    assert str(refused.value) == message


def test_silent_periods_of_one_is_accepted():
    assert Thresholds(silent_periods=1).silent_periods == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"periods_since_last_report": -1}, "periods_since_last_report must be >= 0 or None"),
        ({"periods_elapsed": -1}, "periods_elapsed must be >= 0 or None"),
    ],
)
def test_negative_period_counts_are_refused_with_the_rule(kwargs, message):
    with pytest.raises(ValueError) as refused:
        _evaluate(**kwargs)
    assert str(refused.value) == message


def test_zero_period_counts_are_accepted():
    assert _evaluate(completion=100.0, periods_elapsed=0) == Status.ON_SCHEDULE
