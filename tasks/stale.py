"""Stale reports (进展停滞) read from the database: the flags of a page's reports, in bulk.

The rule is tasks.staleness (pure); this module feeds it each report with the same unit's
earlier reports on the task, all fetched in two queries whatever the number of rows (the
reports with their indicator values), and the 序时进度 of the report's period.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

import django_tables2 as tables
from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from . import revision
from .models import IndicatorValue, ProgressReport
from .report_context import expected_at
from .staleness import Facts, Verdict, judge

COUNTED = ProgressReport.State.COUNTED
FIELDS = ("id", "task_id", "department_id", "period_start", "period_end", "progress", "percent")


@dataclass(frozen=True)
class _Span:
    start: datetime.date
    end: datetime.date


def threshold() -> float:
    return settings.STALE_SIMILARITY_PERCENT / 100


def _facts(report) -> Facts:
    return Facts(
        progress=report.progress,
        percent=report.percent,
        values={v.indicator_id: v.actual for v in report.values.all()},
    )


def verdicts(reports) -> dict[int, Verdict]:
    """report id -> Verdict for the reports that are stale. `reports` need task and task.plan
    loaded (for 序时进度); three queries for any number of them (their node plans, the
    earlier reports, their values)."""
    reports = [r for r in reports if r.state in COUNTED]
    if not reports:
        return {}
    # 序时进度 reads each task's node plan (tasks.report_context.expected_at): one query for all.
    prefetch_related_objects([r.task for r in reports], "nodes")
    periods = settings.STALE_PERIODS
    longest = max((r.period_end - r.period_start).days + 1 for r in reports)
    first = min(r.period_start for r in reports) - datetime.timedelta(days=longest * periods + 7)
    last = max(r.period_start for r in reports)
    pairs = Q()
    for task_id, department_id in {(r.task_id, r.department_id) for r in reports}:
        pairs |= Q(task_id=task_id, department_id=department_id)
    rows = (
        ProgressReport.objects.filter(pairs, state__in=COUNTED, period_start__range=(first, last))
        .only(*FIELDS)
        .order_by("-period_start")
        .prefetch_related(
            Prefetch("values", IndicatorValue.objects.only("report_id", "indicator_id", "actual"))
        )
    )
    history: dict[tuple[int, int], list] = {}
    for row in rows:
        history.setdefault((row.task_id, row.department_id), []).append(row)
    found = {}
    for report in reports:
        earlier = [
            r
            for r in history.get((report.task_id, report.department_id), [])
            if r.period_start < report.period_start
        ][: periods - 1 or 1]
        current = next(
            (
                r
                for r in history.get((report.task_id, report.department_id), [])
                if r.pk == report.pk
            ),
            report,
        )
        # 序时进度 at the end of the report's own period (its dates, not a parsed key).
        expected = expected_at(report.task, _Span(report.period_start, report.period_end))
        behind = report.percent is not None and float(report.percent) < expected
        verdict = judge(
            _facts(current),
            [_facts(r) for r in earlier],
            threshold=threshold(),
            periods=periods,
            behind=behind,
        )
        if verdict is not None:
            found[report.pk] = verdict
    return found


def period_stale(plan, period) -> list[tuple[ProgressReport, Verdict]]:
    """The period's counted reports of the plan that are stale, in plan order (three queries)."""
    reports = list(
        ProgressReport.objects.filter(task__plan=plan, period_key=period.key, state__in=COUNTED)
        .select_related("task__plan", "department")
        .order_by("task__sort_order", "role", "department__sort_order", "pk")
    )
    flags = verdicts(reports)
    return [(r, flags[r.pk]) for r in reports if r.pk in flags]


def stale_reports_by_unit(plan, periods) -> dict[int, int]:
    """department id -> how many of its counted reports in `periods` are stale (for scores):
    the periods' reports read at once and judged by one verdicts() call, so a year of periods
    costs the same four queries as a week."""
    keys = [p.key for p in periods]
    if not keys:
        return {}
    reports = list(
        ProgressReport.objects.filter(
            task__plan=plan, period_key__in=keys, state__in=COUNTED
        ).select_related("task__plan")
    )
    found: dict[int, int] = {}
    flags = verdicts(reports)
    for report in reports:
        if report.pk in flags:
            found[report.department_id] = found.get(report.department_id, 0) + 1
    return found


def _rule() -> tuple:
    """The rule's settings, part of every kept verdict's key: a changed threshold or N never
    reads a verdict judged by the old one."""
    return (settings.STALE_SIMILARITY_PERCENT, settings.STALE_PERIODS)


def kept_stale_by_unit(plan, periods) -> dict[int, int]:
    """stale_reports_by_unit, kept with the plan's other derived figures (tasks.revision): a
    year's scores judge every report of 52 periods (~1 s), once per data revision."""
    keys = tuple(p.key for p in periods)
    return revision.memo(
        "stale_by_unit",
        (plan.pk, keys, _rule()),
        lambda: stale_reports_by_unit(plan, periods),
        plan=plan,
    )


def kept_verdicts(reports) -> dict[int, Verdict]:
    """verdicts() of `reports`, kept under their ids (tasks.revision: every change to a counted
    report, its values or a node plan moves it). Judging a page of the review queue was 40 %
    of the page (about 30 ms for 50 reports); kept, the page reads it in one store read."""
    reports = list(reports)
    ids = tuple(sorted(r.pk for r in reports))
    return revision.memo("verdicts", (ids, _rule()), lambda: verdicts(reports))


class StaleColumn(tables.Column):
    """与上期基本相同, with the similarity: judged once for the rows of the page shown (kept)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "与上期比较")
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def _verdict(self, record, table):
        flags = getattr(table, "_stale_flags", None)
        if flags is None:
            page = getattr(table, "page", None)
            rows = [row.record for row in page.object_list] if page is not None else table.data
            flags = table._stale_flags = kept_verdicts(rows)
        return flags.get(record.pk)

    def render(self, record, table):
        verdict = self._verdict(record, table)
        if verdict is None:
            return "—"
        return format_html(
            '<span class="stale-flag" title="{}">{}</span>', verdict.text, verdict.short
        )

    def value(self, record, table, **kwargs):
        # An export runs over every row, not only the page: flagged once for all of them.
        flags = getattr(table, "_stale_all", None)
        if flags is None:
            flags = table._stale_all = kept_verdicts(table.data)
        verdict = flags.get(record.pk)
        return verdict.text if verdict else ""


class StaleRow(NamedTuple):
    """A stale report as the dashboard lists it, in plain values (kept with the dashboard's
    figures, reports.dashboard_figures: they unpickle far faster than the reports)."""

    number: str
    unit: str
    url: str  # the report's history
    progress: str  # 工作进展, cut to 40 characters
    short: str  # the verdict, e.g. 与上期基本相同 92%


def stale_rows(plan, period) -> list[StaleRow]:
    """period_stale as rows of plain values (three queries)."""
    return [
        StaleRow(
            number=report.task.number,
            unit=report.department.name,
            url=report.get_absolute_url(),
            progress=truncatechars(report.progress, 40),
            short=verdict.short,
        )
        for report, verdict in period_stale(plan, period)
    ]


def kept_stale_rows(plan, period) -> list[StaleRow]:
    """stale_rows, kept with the plan's other derived figures (tasks.revision) under the
    plan's settled counter: a past period's list (about 100 ms of CPU to judge) survives the
    reports of later periods."""
    return revision.memo(
        "stale",
        (plan.pk, period.key),
        lambda: stale_rows(plan, period),
        plan=plan,
        settled=period.end,  # reads the period's reports and earlier ones only
    )
