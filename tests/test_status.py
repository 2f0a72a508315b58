"""The on-schedule rule (tasks.status): pure functions, no database.

Runs with and without pytest-django:
    python -m pytest tests/test_status.py -q -p no:django
"""

from datetime import date

import pytest

from tasks.status import (
    Status,
    Thresholds,
    closed_by,
    effective_completion,
    evaluate,
    expected_progress,
    status_label,
    summarize,
)

Y22 = {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
JUL_2 = date(2022, 7, 2)  # expected progress 50.1 for the 2022 span (day 183 of 365)


def _eval(**overrides) -> Status:
    """A task spanning 2022, reported this period, not closed, evaluated on Jul 2."""
    kwargs = {
        **Y22,
        "as_of": JUL_2,
        "completion": 50.0,
        "closed": False,
        "periods_since_last_report": 0,
    }
    kwargs.update(overrides)
    return evaluate(**kwargs)


# --- Status ---------------------------------------------------------------------------------------


def test_status_values_labels_and_lights():
    table = {
        Status.DONE: ("done", "已办结", "green", "绿灯"),
        Status.ON_SCHEDULE: ("on_schedule", "序时推进", "green", "绿灯"),
        Status.BEHIND: ("behind", "滞后", "yellow", "黄灯"),
        Status.SERIOUSLY_BEHIND: ("seriously_behind", "严重滞后", "red", "红灯"),
        Status.NOT_REPORTED: ("not_reported", "未报送", "red", "红灯"),
        Status.NOT_STARTED: ("not_started", "未启动", "grey", "—"),
    }
    assert list(table) == list(Status)  # declaration order
    for status, (value, label, light, light_label) in table.items():
        assert status.value == value
        assert status.label == label
        assert status.light == light
        assert status.light_label == light_label


def test_status_is_a_string():
    assert isinstance(Status.BEHIND, str)
    assert Status.BEHIND == "behind"
    assert str(Status.BEHIND) == "behind"
    assert f"{Status.BEHIND}" == "behind"
    assert Status("behind") is Status.BEHIND


def test_severity_sorts_red_first_then_yellow_green_grey_done():
    ordered = sorted(Status, key=lambda s: s.severity)
    assert ordered == list(Status.by_severity())
    assert [s.light for s in ordered] == ["red", "red", "yellow", "green", "grey", "green"]
    assert ordered[0] is Status.SERIOUSLY_BEHIND
    assert ordered[-1] is Status.DONE
    assert sorted(s.severity for s in Status) == list(range(len(Status)))


def test_choices():
    assert Status.choices()[0] == ("done", "已办结")
    assert len(Status.choices()) == len(Status)


def test_thresholds_validation():
    assert Thresholds() == Thresholds(10, 30, 2)
    with pytest.raises(ValueError):
        Thresholds(yellow_points=40, red_points=30)
    with pytest.raises(ValueError):
        Thresholds(yellow_points=-1)
    with pytest.raises(ValueError):
        Thresholds(silent_periods=0)


# --- expected_progress ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2021, 12, 31), 0.0),  # before start
        (date(2022, 1, 1), 0.3),  # 1/365 = 0.27
        (date(2022, 1, 2), 0.5),  # 2/365 = 0.548
        (date(2022, 7, 1), 49.9),  # 182/365 = 49.86
        (date(2022, 7, 2), 50.1),  # 183/365 = 50.14
        (date(2022, 12, 30), 99.7),  # 364/365 = 99.73
        (date(2022, 12, 31), 100.0),
        (date(2023, 3, 1), 100.0),  # after end
    ],
)
def test_expected_progress_2022(as_of, expected):
    assert expected_progress(as_of, **Y22) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 1, 1), 0.3),  # 1/366 = 0.273
        (date(2024, 2, 29), 16.4),  # 60/366 = 16.39
        (date(2024, 7, 1), 50.0),  # 183/366 exactly half
        (date(2024, 7, 2), 50.3),  # 184/366 = 50.27
        (date(2024, 12, 30), 99.7),  # 365/366 = 99.73
        (date(2024, 12, 31), 100.0),
    ],
)
def test_expected_progress_leap_year_2024(as_of, expected):
    assert expected_progress(as_of, date(2024, 1, 1), date(2024, 12, 31)) == expected


def test_expected_progress_custom_span():
    # Mar 1 .. Jun 30 2022: 122 days.
    start, end = date(2022, 3, 1), date(2022, 6, 30)
    assert expected_progress(date(2022, 2, 28), start, end) == 0.0
    assert expected_progress(start, start, end) == 0.8  # 1/122 = 0.82
    assert expected_progress(date(2022, 4, 30), start, end) == 50.0  # 61/122
    assert expected_progress(date(2022, 6, 29), start, end) == 99.2  # 121/122 = 99.18
    assert expected_progress(end, start, end) == 100.0
    # 10 days: a clean 10 % per day
    assert expected_progress(date(2022, 5, 3), date(2022, 5, 1), date(2022, 5, 10)) == 30.0


def test_expected_progress_rounds_half_up():
    # 16-day span, day 1: 6.25 % exactly -> 6.3 (四舍五入; round() would give 6.2).
    assert expected_progress(date(2022, 5, 1), date(2022, 5, 1), date(2022, 5, 16)) == 6.3
    # 40-day span, day 1: 2.5 % stays 2.5
    assert expected_progress(date(2022, 5, 1), date(2022, 5, 1), date(2022, 6, 9)) == 2.5


def test_expected_progress_one_day_span():
    day = date(2022, 5, 1)
    assert expected_progress(day, day, day) == 100.0
    assert expected_progress(date(2022, 4, 30), day, day) == 0.0


def test_expected_progress_is_monotonic_and_bounded():
    start, end = date(2022, 1, 1), date(2022, 12, 31)
    values = [expected_progress(date.fromordinal(n), start, end) for n in range(738150, 738550)]
    assert values == sorted(values)
    assert min(values) == 0.0 and max(values) == 100.0


def test_expected_progress_rejects_reversed_span():
    with pytest.raises(ValueError):
        expected_progress(date(2022, 5, 1), date(2022, 6, 1), date(2022, 5, 1))


# --- effective_completion -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        (None, None),
        (40, 40.0),
        (0, 0.0),
        (38.0, 38.0),
        (120, 100.0),  # clamped to 0..100
        (-5, 0.0),
    ],
)
def test_effective_completion_is_the_typed_percent_clamped(reported, expected):
    assert effective_completion(reported) == expected


def test_effective_completion_takes_no_indicator_figures():
    # Indicators have their own 完成率 and never drive the task's figure (the lead's decision).
    with pytest.raises(TypeError):
        effective_completion(38.0, [100.0])  # type: ignore[call-arg]


# --- evaluate: the boundaries ---------------------------------------------------------------------
# On Jul 2 2022 expected progress of a 2022 task is 50.1.


@pytest.mark.parametrize(
    ("completion", "status"),
    [
        (60.0, Status.ON_SCHEDULE),  # ahead
        (50.1, Status.ON_SCHEDULE),  # gap 0
        (45.0, Status.ON_SCHEDULE),  # gap 5.1
        (40.1, Status.ON_SCHEDULE),  # gap exactly 10 (50.1 - 40.1 is 10.000000000000004 in floats)
        (40.0, Status.BEHIND),  # gap 10.1
        (30.0, Status.BEHIND),  # gap 20.1
        (20.1, Status.BEHIND),  # gap exactly 30
        (20.0, Status.SERIOUSLY_BEHIND),  # gap 30.1
        (0.0, Status.SERIOUSLY_BEHIND),  # gap 50.1
    ],
)
def test_gap_boundaries(completion, status):
    assert _eval(completion=completion) is status


@pytest.mark.parametrize(
    ("completion", "status"),
    [
        (20.0, Status.ON_SCHEDULE),  # gap 10
        (19.9, Status.BEHIND),  # gap 10.1
        (0.0, Status.BEHIND),  # gap 30
    ],
)
def test_gap_boundaries_on_integer_expected_progress(completion, status):
    # 10-day span, day 3 = 30 %
    kwargs = {"start": date(2022, 5, 1), "end": date(2022, 5, 10), "as_of": date(2022, 5, 3)}
    assert _eval(completion=completion, **kwargs) is status


def test_gap_just_above_boundary_by_float_noise_is_not_more():
    # 30.0 expected vs 19.999999999999 reported: rounding noise, not a real shortfall
    kwargs = {"start": date(2022, 5, 1), "end": date(2022, 5, 10), "as_of": date(2022, 5, 3)}
    assert _eval(completion=20 - 1e-9, **kwargs) is Status.ON_SCHEDULE
    assert _eval(completion=20 - 1e-3, **kwargs) is Status.BEHIND


def test_custom_thresholds():
    strict = Thresholds(yellow_points=5, red_points=15)
    assert _eval(completion=45.1, thresholds=strict) is Status.ON_SCHEDULE  # gap 5
    assert _eval(completion=45.0, thresholds=strict) is Status.BEHIND  # gap 5.1
    assert _eval(completion=35.0, thresholds=strict) is Status.SERIOUSLY_BEHIND  # gap 15.1


# --- evaluate: deadline ---------------------------------------------------------------------------


def test_deadline_passed_unfinished_is_seriously_behind():
    after = date(2023, 1, 1)
    assert _eval(as_of=after, completion=99.9) is Status.SERIOUSLY_BEHIND
    assert _eval(as_of=after, completion=None) is Status.SERIOUSLY_BEHIND


def test_on_the_deadline_day_the_gap_rule_still_applies():
    last = date(2022, 12, 31)  # expected 100
    assert _eval(as_of=last, completion=95.0) is Status.ON_SCHEDULE  # gap 5
    assert _eval(as_of=last, completion=85.0) is Status.BEHIND  # gap 15
    assert _eval(as_of=last, completion=60.0) is Status.SERIOUSLY_BEHIND


def test_deadline_passed_at_100_but_not_closed_is_on_schedule():
    assert _eval(as_of=date(2023, 1, 10), completion=100.0) is Status.ON_SCHEDULE


# --- evaluate: DONE is closure (销号), nothing else ------------------------------------------------


def test_done_is_the_offices_closure_whatever_the_percent():
    assert _eval(completion=100.0, closed=True) is Status.DONE
    assert _eval(completion=90.0, closed=True) is Status.DONE
    assert _eval(completion=10.0, closed=True) is Status.DONE
    assert _eval(completion=None, closed=True) is Status.DONE


def test_a_hundred_percent_report_alone_is_judged_like_any_figure_not_done():
    # Even an accepted 100 % report: the claim is on schedule, only closure makes it 已办结.
    assert _eval(completion=100.0, closed=False) is Status.ON_SCHEDULE
    assert _eval(completion=100.0, as_of=date(2023, 1, 10)) is Status.ON_SCHEDULE
    assert _eval(completion=100.0, periods_since_last_report=5) is Status.NOT_REPORTED


def test_done_wins_over_everything_else():
    assert _eval(completion=None, closed=True, periods_since_last_report=None) is Status.DONE
    assert _eval(completion=100.0, closed=True, as_of=date(2021, 6, 1)) is Status.DONE
    assert _eval(completion=40.0, closed=True, as_of=date(2023, 6, 1)) is Status.DONE


def test_a_task_is_closed_from_its_closure_date_on():
    closed_on = date(2022, 9, 30)
    assert not closed_by(None, date(2022, 12, 31))
    assert not closed_by(closed_on, date(2022, 9, 29))
    assert closed_by(closed_on, closed_on)
    assert closed_by(closed_on, date(2022, 10, 1))
    # Closed in January after the plan's year: counts closed on the year's last day.
    assert closed_by(date(2023, 1, 12), date(2022, 12, 31), year_end=date(2022, 12, 31))
    assert not closed_by(date(2023, 1, 12), date(2022, 12, 30), year_end=date(2022, 12, 31))
    assert not closed_by(date(2023, 1, 12), date(2022, 12, 31))


def test_the_closed_label_carries_its_date_and_other_labels_do_not():
    assert status_label(Status.DONE, date(2022, 12, 27)) == "已办结 2022-12-27"
    assert status_label(Status.DONE, None) == "已办结"
    assert status_label(Status.BEHIND, date(2022, 12, 27)) == "滞后"


# --- evaluate: not started ------------------------------------------------------------------------


def test_not_started_before_the_span():
    span = {"start": date(2022, 7, 1), "end": date(2022, 9, 30)}
    assert _eval(as_of=date(2022, 6, 30), periods_since_last_report=None, **span) is (
        Status.NOT_STARTED
    )
    assert _eval(as_of=date(2022, 6, 30), completion=0.0, **span) is Status.NOT_STARTED
    # from the first day it is judged (1/92 expected -> on schedule)
    assert _eval(as_of=date(2022, 7, 1), completion=0.0, **span) is Status.ON_SCHEDULE


# --- evaluate: silence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "status"),
    [
        (0, Status.ON_SCHEDULE),
        (1, Status.ON_SCHEDULE),  # missed one period: not yet silent
        (2, Status.NOT_REPORTED),
        (7, Status.NOT_REPORTED),
        (None, Status.NOT_REPORTED),  # never reported, span length unknown
    ],
)
def test_silent_counting(since, status):
    assert _eval(periods_since_last_report=since) is status


def test_silent_threshold_is_configurable():
    three = Thresholds(silent_periods=3)
    assert _eval(periods_since_last_report=2, thresholds=three) is Status.ON_SCHEDULE
    assert _eval(periods_since_last_report=3, thresholds=three) is Status.NOT_REPORTED
    one = Thresholds(silent_periods=1)
    assert _eval(periods_since_last_report=1, thresholds=one) is Status.NOT_REPORTED


def test_silence_wins_over_the_gap_and_the_deadline():
    assert _eval(periods_since_last_report=3, completion=0.0) is Status.NOT_REPORTED
    assert _eval(periods_since_last_report=3, as_of=date(2023, 1, 5)) is Status.NOT_REPORTED


def test_never_reported_in_the_first_periods_is_not_yet_silent():
    # A weekly task starting Mon 2022-05-16, 8 weeks long.
    span = {"start": date(2022, 5, 16), "end": date(2022, 7, 10)}
    first_week = {"as_of": date(2022, 5, 18), "periods_elapsed": 1}
    second_week = {"as_of": date(2022, 5, 25), "periods_elapsed": 2}
    never = {"periods_since_last_report": None, "completion": None}
    assert _eval(**span, **never, **first_week) is Status.ON_SCHEDULE  # 3/56 expected, 0 done
    assert _eval(**span, **never, **second_week) is Status.NOT_REPORTED


def test_never_reported_grace_still_compares_with_zero():
    # A 4-day task (Mon..Thu): by Wednesday 75 % expected; never reported -> 0 done.
    span = {"start": date(2022, 5, 16), "end": date(2022, 5, 19)}
    kwargs = {"periods_since_last_report": None, "completion": None, "periods_elapsed": 1}
    assert _eval(as_of=date(2022, 5, 16), **span, **kwargs) is Status.BEHIND  # gap 25
    assert _eval(as_of=date(2022, 5, 18), **span, **kwargs) is Status.SERIOUSLY_BEHIND  # 75
    # ... and past its deadline an unreported, unfinished task is seriously behind
    assert _eval(as_of=date(2022, 5, 20), **span, **kwargs) is Status.SERIOUSLY_BEHIND
    # a typed figure, if there is one, is used instead of 0
    assert (
        _eval(as_of=date(2022, 5, 16), **span, **{**kwargs, "completion": 30.0})
        is Status.ON_SCHEDULE
    )


def test_silence_is_counted_only_inside_the_span():
    # Last report 5 periods ago (before the task started), task began 1 period ago.
    assert _eval(periods_since_last_report=5, periods_elapsed=1) is Status.ON_SCHEDULE
    assert _eval(periods_since_last_report=5, periods_elapsed=2) is Status.NOT_REPORTED
    # periods_elapsed does not excuse real silence inside the span
    assert _eval(periods_since_last_report=2, periods_elapsed=20) is Status.NOT_REPORTED
    assert _eval(periods_since_last_report=1, periods_elapsed=20) is Status.ON_SCHEDULE


def test_completion_none_with_a_recent_report_means_zero():
    assert _eval(completion=None) is Status.SERIOUSLY_BEHIND  # gap 50.1
    early = {"as_of": date(2022, 1, 20)}  # 20/365 = 5.5 expected
    assert _eval(completion=None, **early) is Status.ON_SCHEDULE


def test_evaluate_rejects_nonsense():
    with pytest.raises(ValueError):
        _eval(start=date(2022, 12, 31), end=date(2022, 1, 1))
    with pytest.raises(ValueError):
        _eval(periods_since_last_report=-1)
    with pytest.raises(ValueError):
        _eval(periods_elapsed=-1)


def test_evaluate_is_keyword_only():
    with pytest.raises(TypeError):
        evaluate(JUL_2, date(2022, 1, 1), date(2022, 12, 31), 50.0, False, 0)  # type: ignore[misc]


# --- evaluate: realistic cases --------------------------------------------------------------------

D = date
YEAR = (D(2022, 1, 1), D(2022, 12, 31))
H2 = (D(2022, 7, 1), D(2022, 12, 31))
Q2 = (D(2022, 4, 1), D(2022, 6, 30))
Y23 = (D(2023, 1, 1), D(2023, 12, 31))
JAN_APR_24 = (D(2024, 1, 1), D(2024, 4, 30))
DONE, OK, BEHIND, RED, SILENT, NOT_STARTED = (
    Status.DONE,
    Status.ON_SCHEDULE,
    Status.BEHIND,
    Status.SERIOUSLY_BEHIND,
    Status.NOT_REPORTED,
    Status.NOT_STARTED,
)
MAY_18 = D(2022, 5, 18)  # a 2022 task is expected at 37.8 % (day 138 of 365)
CASES = [
    # id, as_of, span, completion, closed, since last report, periods elapsed, expected
    ("year task on track in May", MAY_18, YEAR, 40, False, 0, 21, OK),
    ("year task slightly behind", MAY_18, YEAR, 25, False, 0, 21, BEHIND),
    ("year task far behind", MAY_18, YEAR, 5, False, 1, 21, RED),
    ("year task ahead", MAY_18, YEAR, 80, False, 0, 21, OK),
    ("finished early, closed", MAY_18, YEAR, 100, True, 3, 21, DONE),
    ("finished early, awaiting closure", MAY_18, YEAR, 100, False, 0, 21, OK),
    ("unit stopped reporting in April", MAY_18, YEAR, 30, False, 4, 21, SILENT),
    ("never reported by May", MAY_18, YEAR, None, False, None, 21, SILENT),
    ("second-half task in May", MAY_18, H2, None, False, None, 0, NOT_STARTED),
    ("second-half task, first week", D(2022, 7, 6), H2, None, False, None, 1, OK),
    ("second-half task, week 3, never reported", D(2022, 7, 13), H2, None, False, None, 3, SILENT),
    ("Q2 task overdue at 80 %", D(2022, 7, 5), Q2, 80, False, 0, 14, RED),
    ("Q2 task overdue, done, not closed", D(2022, 7, 5), Q2, 100, False, 0, 14, OK),
    ("Q2 task overdue, closed", D(2022, 7, 5), Q2, 100, True, 2, 14, DONE),
    ("Q2 task overdue at 80 %, closed anyway", D(2022, 7, 5), Q2, 80, True, 2, 14, DONE),
    ("Q2 task last day, 92 %", D(2022, 6, 30), Q2, 92, False, 0, 14, OK),
    ("Q2 task last day, 75 %", D(2022, 6, 30), Q2, 75, False, 0, 14, BEHIND),
    ("past plan seen on Dec 31, 60 %", D(2022, 12, 31), YEAR, 60, False, 0, 53, RED),
    ("past plan seen on Dec 31, 95 %", D(2022, 12, 31), YEAR, 95, False, 1, 53, OK),
    ("future plan seen on Jan 1", D(2023, 1, 1), Y23, None, False, None, 1, OK),
    ("silent for one period only", D(2022, 8, 10), YEAR, 55, False, 1, 32, OK),
    ("reported this week without a figure", D(2022, 3, 2), YEAR, None, False, 0, 10, BEHIND),
    ("leap day, Jan-Apr 2024 task at 30 %", D(2024, 2, 29), JAN_APR_24, 30, False, 0, 9, BEHIND),
]  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "span", "completion", "closed", "since", "elapsed", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_evaluate_realistic_cases(as_of, span, completion, closed, since, elapsed, expected):
    status = evaluate(
        as_of=as_of,
        start=span[0],
        end=span[1],
        completion=completion,
        closed=closed,
        periods_since_last_report=since,
        periods_elapsed=elapsed,
    )
    assert status is expected


# --- summarize ------------------------------------------------------------------------------------


def test_summarize_counts_every_status_in_order():
    counts = summarize([Status.BEHIND, Status.DONE, Status.BEHIND, "not_reported"])
    assert list(counts) == list(Status)
    assert counts == {
        Status.DONE: 1,
        Status.ON_SCHEDULE: 0,
        Status.BEHIND: 2,
        Status.SERIOUSLY_BEHIND: 0,
        Status.NOT_REPORTED: 1,
        Status.NOT_STARTED: 0,
    }


def test_summarize_empty_and_generator():
    assert summarize([]) == dict.fromkeys(Status, 0)
    assert sum(summarize(s for s in [Status.DONE] * 5).values()) == 5


def test_summarize_rejects_unknown_values():
    with pytest.raises(ValueError):
        summarize(["late"])
