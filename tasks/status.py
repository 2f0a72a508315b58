"""Is a task on schedule? The business rule behind the traffic lights (红黄绿灯).

Pure module: no Django, no database, no "now". The caller supplies ``as_of`` (see
tasks.clock and tasks.periods.as_of_for_plan) and the facts about the task.

Vocabulary
    序时进度 (expected progress): the share of the task's span elapsed at ``as_of``.
    gap: expected progress minus actual completion, in percentage points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Float noise guard for the threshold comparisons: 50.1 - 40.1 == 10.000000000000004 must count
# as a gap of exactly 10 (on schedule), not "more than 10".
_GAP_DIGITS = 6


@dataclass(frozen=True)
class Thresholds:
    yellow_points: float = 10  # 滞后 when completion is below expected by MORE than this
    red_points: float = 30  # 严重滞后 when below by MORE than this
    silent_periods: int = 2  # 未报送 when no report for the last N periods

    def __post_init__(self) -> None:
        if not 0 <= self.yellow_points <= self.red_points:
            raise ValueError("thresholds need 0 <= yellow_points <= red_points")
        if self.silent_periods < 1:
            raise ValueError("silent_periods must be at least 1")


class Status(StrEnum):
    """A task's status. Members are strings (their value), so they store and compare as such.

    Declaration order is the display order (summaries, filters); ``severity`` is the sort
    order for "lagging tasks first".
    """

    DONE = "done"
    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind"
    SERIOUSLY_BEHIND = "seriously_behind"
    NOT_REPORTED = "not_reported"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def light(self) -> str:
        """One of green, yellow, red, grey (usable as a CSS class suffix)."""
        return _LIGHTS[self]

    @property
    def light_label(self) -> str:
        return _LIGHT_LABELS[self.light]

    @property
    def severity(self) -> int:
        """0 = most urgent. ``sorted(tasks, key=lambda t: t.status.severity)`` puts red first."""
        return _SEVERITY.index(self)

    @classmethod
    def by_severity(cls) -> tuple[Status, ...]:
        """All statuses, most urgent first."""
        return _SEVERITY

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in display order, for form fields and filters."""
        return [(s.value, s.label) for s in cls]


_LABELS = {
    Status.DONE: "已办结",
    Status.ON_SCHEDULE: "序时推进",
    Status.BEHIND: "滞后",
    Status.SERIOUSLY_BEHIND: "严重滞后",
    Status.NOT_REPORTED: "未报送",
    Status.NOT_STARTED: "未启动",
}
_LIGHTS = {
    Status.DONE: "green",
    Status.ON_SCHEDULE: "green",
    Status.BEHIND: "yellow",
    Status.SERIOUSLY_BEHIND: "red",
    Status.NOT_REPORTED: "red",
    Status.NOT_STARTED: "grey",
}
_LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "—"}
# Red first (a confirmed shortfall before a missing report, since the latter may be a
# formality), then yellow, green; tasks needing nothing now (not started, done) last.
_SEVERITY = (
    Status.SERIOUSLY_BEHIND,
    Status.NOT_REPORTED,
    Status.BEHIND,
    Status.ON_SCHEDULE,
    Status.NOT_STARTED,
    Status.DONE,
)


def task_span(year: int, deadline: date | None) -> tuple[date, date]:
    """The span 序时进度 runs over: the plan year's first day to the task's deadline, or to the
    year's end when it has none (a deadline before the year starts counts as the first day)."""
    start = date(year, 1, 1)
    end = deadline or date(year, 12, 31)
    return start, max(start, end)


def expected_progress(as_of: date, start: date, end: date) -> float:
    """序时进度 in percent, 0..100, rounded half-up to 1 decimal.

    The span [start, end] counts whole days, both inclusive, and ``as_of`` counts as elapsed:
    on ``start`` one day of the span is done, on ``end`` all of it (100).
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if as_of < start:
        return 0.0
    # ">=", though ">" gives the same: on ``end`` itself the formula below yields 100.0 too
    # (a surviving mutant in benchmarks/mutate.py that changes nothing).
    if as_of >= end:
        return 100.0
    total = (end - start).days + 1
    elapsed = (as_of - start).days + 1
    # Integer arithmetic, round half up (四舍五入): tenths = round(1000 * elapsed / total).
    tenths = (2000 * elapsed + total) // (2 * total)
    return tenths / 10


def expected_from_nodes(as_of: date, start: date, nodes: Iterable[tuple[date, float]]) -> float:
    """序时进度 read off a node plan (形象进度), in percent 0..100, rounded to 1 decimal.

    ``nodes`` are (date, expected percent) pairs: a node's date is its effective one
    (``extended_due or due``). The value runs linearly from (start, 0 %) to the first node, from
    node to node, and after the last node stays at its value (100 when the last node is the
    deadline). Days count as in :func:`expected_progress`: on a node's day its value is reached.
    Nodes are sorted by date; a node dated before ``start`` counts from ``start``.
    """
    points = sorted((max(day, start), _clamp(percent)) for day, percent in nodes)
    if not points:
        raise ValueError("a node plan needs at least one node")
    if as_of < start:
        return 0.0
    # (start - 1 day, 0): the same counting as expected_progress, where ``start`` itself is
    # one elapsed day of the span.
    previous_day, previous_value = start - timedelta(days=1), 0.0
    for day, value in points:
        if as_of <= day:
            span = (day - previous_day).days
            if span <= 0:
                return _tenths(value)
            share = (as_of - previous_day).days / span
            return _tenths(previous_value + (value - previous_value) * share)
        previous_day, previous_value = day, value
    return _tenths(previous_value)


def _tenths(value: float) -> float:
    """Rounded half up to 1 decimal, with a float guard (12.35 stored as 12.3499999 is 12.4)."""
    return math.floor(round(value * 10, _GAP_DIGITS) + 0.5) / 10


def effective_completion(reported_percent: float | None) -> float | None:
    """The task's 完成进度 in percent 0..100, or None if the lead unit typed none.

    The figure is the percent the lead unit typed in its report (clamped to 0..100), and it
    alone drives the light. Indicators are measured apart: each has its own 完成率 (actual
    against target, tasks.indicators.completion_percent), shown beside the task's figure, never
    blended into it. One rule, so the form, the task page, the portfolio, the dashboard and every
    workbook show the same number.
    """
    if reported_percent is None:
        return None
    return _clamp(reported_percent)


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, float(value)))


def evaluate(
    *,
    as_of: date,
    start: date,
    end: date,
    completion: float | None,
    closed: bool,
    periods_since_last_report: int | None,
    periods_elapsed: int | None = None,
    thresholds: Thresholds = Thresholds(),
    expected: float | None = None,
) -> Status:
    """The task's status at ``as_of``.

    completion
        Effective completion in percent (see :func:`effective_completion`); None = unknown.
    closed
        The office has closed the task (销号, tasks.closure) by ``as_of``. A closed task is
        done (已办结) whatever its percent and the date; a 100 % report alone is a claim, not
        the verdict, and is judged like any other figure.
    periods_since_last_report
        How many of the most recent reporting periods, counting the one containing ``as_of``,
        passed without a report: 0 = reported this period, 1 = last reported the period
        before, ...; None = never reported.
    periods_elapsed
        How many periods of the task's span have begun at ``as_of`` (1 in its first period);
        None = unknown (then a never-reported task is simply silent).
    expected
        序时进度 when it is not the straight line over the span: a node plan's value
        (:func:`expected_from_nodes`); None = the straight line (:func:`expected_progress`).
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if periods_since_last_report is not None and periods_since_last_report < 0:
        raise ValueError("periods_since_last_report must be >= 0 or None")
    if periods_elapsed is not None and periods_elapsed < 0:
        raise ValueError("periods_elapsed must be >= 0 or None")

    # 1. DONE is the office's closure (销号) and nothing else: a unit reporting 100 % (even an
    #    accepted report) is a claim, closure is the verdict. A closed task is done whatever
    #    the percent or the date, hence first — even before its span starts.
    if closed:
        return Status.DONE

    # 2. NOT_STARTED: before the span nothing is expected, so neither silence nor a gap can
    #    be held against the task.
    if as_of < start:
        return Status.NOT_STARTED

    # 3. NOT_REPORTED: without recent reports the completion figure is stale, so judging the
    #    gap would be judging old data; silence itself is the finding (red). Silence is only
    #    counted inside the span — a task in its first period(s) cannot yet have missed
    #    ``silent_periods`` reports, and a report made before the span began does not make
    #    the task "silent" for periods it was not yet running.
    silence = periods_since_last_report
    if silence is None:  # never reported: every begun period of the span was silent
        silence = periods_elapsed
    if silence is not None and periods_elapsed is not None:
        silence = min(silence, periods_elapsed)
    if silence is None or silence >= thresholds.silent_periods:
        return Status.NOT_REPORTED

    # A reported task without a figure, or a never-reported task still in its grace periods,
    # has shown no progress: count it as 0 % rather than skipping the comparison.
    actual = 0.0 if completion is None else completion

    # 4. Past the deadline and unfinished: the span is over, no catching up is possible any
    #    more, so the gap (which would be 100 - actual) is not the measure — any shortfall is
    #    serious. (100 % but not yet closed falls through and is on schedule: gap 0.)
    if as_of > end and actual < 100:
        return Status.SERIOUSLY_BEHIND

    # 5. Compare with 序时进度.
    if expected is None:
        expected = expected_progress(as_of, start, end)
    return pace_status(actual, expected, thresholds)


def pace_status(
    completion: float, expected: float, thresholds: Thresholds = Thresholds()
) -> Status:
    """序时推进, 滞后 or 严重滞后: a completion against 序时进度 alone (a task's, or an
    indicator's 完成率 shown beside it). Both thresholds are "more than": a gap of exactly 10 is
    still 序时推进, of exactly 30 still 滞后. Ahead of schedule (negative gap) is on schedule."""
    gap = round(expected - completion, _GAP_DIGITS)
    if gap > thresholds.red_points:
        return Status.SERIOUSLY_BEHIND
    if gap > thresholds.yellow_points:
        return Status.BEHIND
    return Status.ON_SCHEDULE


def status_label(status: Status, closed_on: date | None) -> str:
    """A status's words, with the closure date for a closed task: the one place it is written."""
    if status is Status.DONE and closed_on is not None:
        return f"{status.label} {closed_on:%Y-%m-%d}"
    return status.label


def closed_by(closed_on: date | None, as_of: date, year_end: date | None = None) -> bool:
    """Was the task closed (销号) by `as_of`? Closed from `closed_on` on (tasks.closure).

    A task of a plan closed after the plan's year (the office closes 2022's tasks in January
    2023) counts closed at ``year_end``, the last day the plan is ever seen as of.
    """
    if closed_on is None:
        return False
    if year_end is not None:
        closed_on = min(closed_on, year_end)
    return closed_on <= as_of


def summarize(statuses: Iterable[Status | str]) -> dict[Status, int]:
    """Counts for every Status (zeros included), keyed in declaration order.

    Plain strings (e.g. values read from the database) are accepted; unknown ones raise.
    """
    counts = dict.fromkeys(Status, 0)
    for status in statuses:
        counts[Status(status)] += 1
    return counts


class NodeOutcome(StrEnum):
    """A node of a task's node plan, judged at ``as_of`` (:func:`node_outcome`)."""

    MET = "met"
    MISSED = "missed"
    AHEAD = "ahead"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return _NODE_LABELS[self]


_NODE_LABELS = {
    NodeOutcome.MET: "按期完成",
    NodeOutcome.MISSED: "未按期完成",
    NodeOutcome.AHEAD: "提前完成",
    NodeOutcome.PENDING: "未到期",
}


def node_outcome(
    *, as_of: date, due: date, percent: float, reached: float | None, current: float | None
) -> NodeOutcome:
    """Was the node met? ``due`` is its effective date (``extended_due or due``), ``percent``
    its expected completion; ``reached`` the lead unit's counted completion by that date (its
    latest counted report whose period began by then), ``current`` the completion at ``as_of``
    (None: no figure).

    From its date on, a node is met when ``reached`` is at or above its percent, else missed —
    and it stays missed: a later report does not undo a missed date. Before its date it is
    ahead when ``current`` already reaches it, else pending.
    """
    target = round(_clamp(percent), _GAP_DIGITS)
    if as_of >= due:
        return (
            NodeOutcome.MET
            if reached is not None and round(_clamp(reached), _GAP_DIGITS) >= target
            else NodeOutcome.MISSED
        )
    if current is not None and round(_clamp(current), _GAP_DIGITS) >= target:
        return NodeOutcome.AHEAD
    return NodeOutcome.PENDING
