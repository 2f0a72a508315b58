"""序时进度 read off a node plan (tasks.status.expected_from_nodes) and the light it gives.

Pure: runs with and without pytest-django (``-p no:django``).
"""

from datetime import date, timedelta

import pytest

from tasks.status import (
    NodeOutcome,
    Status,
    evaluate,
    expected_from_nodes,
    expected_progress,
    node_outcome,
)

START = date(2022, 1, 1)
END = date(2022, 12, 31)
# 3月底 完成立项 10 %, 6月底 开工 30 %, 9月底 主体完工 70 %, 12月底 竣工 100 %.
PLAN = [(date(2022, 3, 31), 10), (date(2022, 6, 30), 30), (date(2022, 9, 30), 70), (END, 100)]


def _status(as_of, completion, nodes):
    return evaluate(
        as_of=as_of,
        start=START,
        end=END,
        completion=completion,
        closed=False,
        periods_since_last_report=0,
        periods_elapsed=10,
        expected=expected_from_nodes(as_of, START, nodes),
    )


def test_on_a_nodes_day_the_expected_value_is_the_nodes_percent():
    for day, percent in PLAN:
        assert expected_from_nodes(day, START, PLAN) == percent


def test_between_two_nodes_the_expected_value_is_linear():
    # 6-30 (30 %) to 9-30 (70 %): 92 days; on 8-15, 46 of them are gone: 30 + 40 * 46/92 = 50.
    assert expected_from_nodes(date(2022, 8, 15), START, PLAN) == 50.0
    assert expected_from_nodes(date(2022, 7, 1), START, PLAN) == round(30 + 40 / 92, 1)


def test_before_the_first_node_the_value_runs_from_zero_at_the_start():
    # 1-1 .. 3-31 is 90 days, the 1st counting as elapsed (as in expected_progress).
    assert expected_from_nodes(START, START, PLAN) == round(10 / 90, 1)
    assert expected_from_nodes(date(2022, 2, 14), START, PLAN) == 5.0
    assert expected_from_nodes(START - timedelta(days=1), START, PLAN) == 0.0


def test_after_the_last_node_its_value_stays():
    short = [(date(2022, 6, 30), 40), (date(2022, 9, 30), 80)]
    assert expected_from_nodes(date(2022, 10, 1), START, short) == 80.0
    assert expected_from_nodes(date(2023, 3, 1), START, short) == 80.0
    assert expected_from_nodes(date(2023, 3, 1), START, PLAN) == 100.0


def test_a_single_node_at_the_deadline_at_100_is_the_straight_line():
    day = START
    while day <= END:
        assert expected_from_nodes(day, START, [(END, 100)]) == expected_progress(day, START, END)
        day += timedelta(days=1)


def test_nodes_are_read_in_date_order_whatever_order_they_come_in():
    assert expected_from_nodes(date(2022, 8, 15), START, list(reversed(PLAN))) == 50.0


def test_a_node_dated_before_the_start_counts_as_reached_on_the_start():
    assert expected_from_nodes(START, START, [(date(2021, 12, 1), 20), (END, 100)]) == 20.0


def test_float_noise_does_not_move_the_rounding():
    # 0.1 + 0.2 style noise: percents given as floats that are not exact in binary.
    nodes = [(date(2022, 1, 10), 12.35), (END, 100)]
    assert expected_from_nodes(date(2022, 1, 10), START, nodes) == 12.4
    nodes = [(date(2022, 1, 10), 0.1 + 0.2), (END, 100)]
    assert expected_from_nodes(date(2022, 1, 10), START, nodes) == 0.3


def test_percents_out_of_range_are_clamped():
    assert expected_from_nodes(END, START, [(END, 130)]) == 100.0
    assert expected_from_nodes(END, START, [(END, -5)]) == 0.0


def test_a_node_plan_needs_a_node():
    with pytest.raises(ValueError):
        expected_from_nodes(START, START, [])


def test_a_construction_project_starting_in_q3_is_not_red_in_spring():
    q3 = [(date(2022, 6, 30), 0), (date(2022, 9, 30), 40), (END, 100)]
    spring = date(2022, 5, 18)
    assert expected_from_nodes(spring, START, q3) == 0.0
    assert _status(spring, 0.0, q3) == Status.ON_SCHEDULE
    # On the straight line the same report is 37.8 points behind: red.
    straight = evaluate(
        as_of=spring,
        start=START,
        end=END,
        completion=0.0,
        closed=False,
        periods_since_last_report=0,
        periods_elapsed=10,
    )
    assert straight == Status.SERIOUSLY_BEHIND


def test_the_light_follows_the_node_value_not_the_straight_line():
    # 8-15: nodes expect 50 %, the straight line 62.2 %. 38 % is 12 behind the nodes: 滞后.
    assert _status(date(2022, 8, 15), 38.0, PLAN) == Status.BEHIND
    assert _status(date(2022, 8, 15), 40.0, PLAN) == Status.ON_SCHEDULE
    assert _status(date(2022, 8, 15), 19.0, PLAN) == Status.SERIOUSLY_BEHIND


def test_past_the_deadline_unfinished_is_seriously_behind_whatever_the_nodes_say():
    low = [(date(2022, 6, 30), 50)]
    assert _status(date(2023, 1, 5), 60.0, low) == Status.SERIOUSLY_BEHIND


# --- a node met, missed, ahead or pending ---------------------------------------------------------

JUNE = date(2022, 6, 30)


def _outcome(as_of, *, reached, current=None, percent=30, due=JUNE):
    return node_outcome(as_of=as_of, due=due, percent=percent, reached=reached, current=current)


def test_a_node_reached_by_its_date_is_met():
    assert _outcome(JUNE, reached=30.0) == NodeOutcome.MET
    assert _outcome(date(2022, 12, 31), reached=45.0, current=90.0) == NodeOutcome.MET


def test_a_node_not_reached_by_its_date_is_missed_and_stays_missed():
    assert _outcome(JUNE, reached=25.0, current=25.0) == NodeOutcome.MISSED
    # 80 % reported later does not undo it.
    assert _outcome(date(2022, 9, 1), reached=25.0, current=80.0) == NodeOutcome.MISSED


def test_a_node_with_no_figure_by_its_date_is_missed():
    assert _outcome(JUNE, reached=None) == NodeOutcome.MISSED
    assert _outcome(JUNE, reached=None, current=100.0) == NodeOutcome.MISSED


def test_a_future_node_already_reached_is_ahead_else_pending():
    assert _outcome(date(2022, 6, 28), reached=None, current=30.0) == NodeOutcome.AHEAD
    assert _outcome(date(2022, 6, 28), reached=None, current=25.0) == NodeOutcome.PENDING
    assert _outcome(date(2022, 1, 1), reached=None, current=None) == NodeOutcome.PENDING


def test_a_node_percent_with_float_noise_is_met_by_the_same_figure():
    assert _outcome(JUNE, reached=30.0, percent=10.1 + 19.9) == NodeOutcome.MET
    assert _outcome(JUNE, reached=0.3, percent=0.1 + 0.2) == NodeOutcome.MET
    assert _outcome(JUNE, reached=3 * 0.1, percent=0.3) == NodeOutcome.MET  # 0.30000000000000004
    assert _outcome(JUNE, reached=29.9, percent=30) == NodeOutcome.MISSED
