"""What a task page shows over time: the reports of every unit and the indicator charts.

The page shows each unit's latest report and pages through the older ones (`timeline_for`):
its queries and its rendering are the same for a task with 19 reports and one with 1,900.
The reports are rows of plain values (`ReportRow`), not model instances.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.utils.safestring import mark_safe

from common.charts import line_chart

from . import timeline_sql
from .access import readable_reports
from .deadlines import effective_deadline
from .models import ProgressReport, Task, TaskUnit
from .periods import parse_period_key
from .progress import TaskState, counted_lead_values, expected_at_day

HISTORY_PER_PAGE = 10
_ROLES = dict(TaskUnit.Role.choices)
_STATES = dict(ProgressReport.State.choices)


@dataclass(frozen=True)
class ReportRow:
    """A report as a page shows it: plain values (templatetags/report_items.py renders it)."""

    pk: int
    period_key: str
    period_start: datetime.date
    department_id: int
    department: str  # the unit's name
    role: str  # 牵头单位 / 配合单位
    state: str  # its state as shown
    is_late: bool
    progress: str
    problems: str
    next_steps: str
    percent: Decimal | None
    values: tuple[tuple[str, Decimal, str], ...] = ()  # (indicator, actual, unit)
    attachments: tuple[tuple[int, str], ...] = ()  # (pk, file name)

    @classmethod
    def of(cls, report: ProgressReport) -> "ReportRow":
        """A report instance (its values and attachments read through its managers)."""
        return cls(
            report.pk,
            report.period_key,
            report.period_start,
            report.department_id,
            report.department.name,
            report.get_role_display(),
            report.get_state_display(),
            report.is_late,
            report.progress,
            report.problems,
            report.next_steps,
            report.percent,
            values=tuple(
                (v.indicator.name, v.actual, v.indicator.unit) for v in report.values.all()
            ),
            attachments=tuple((a.pk, a.original_name) for a in report.attachments.all()),
        )


class _CountedPaginator(Paginator):
    """Pages whose number of objects is already known (no COUNT query)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@dataclass(frozen=True)
class Timeline:
    latest: list[ReportRow]  # each unit's latest report, in the order of the task's units
    history: Page  # the other reports (ReportRow), newest first, one page of them

    @property
    def page_range(self) -> list:
        """The history's page numbers to link, with … for the elided ones (as the lists)."""
        return list(
            self.history.paginator.get_elided_page_range(
                self.history.number, on_each_side=2, on_ends=1
            )
        )


class _Older:
    """The older reports as the paginator slices them: a page read when it is asked for."""

    def __init__(self, reports: timeline_sql.Reports, latest_ids: list[int]):
        self.reports, self.latest_ids = reports, latest_ids

    def __getitem__(self, page: slice) -> list[tuple]:
        if page.stop <= page.start:
            return []
        return self.reports.older(self.latest_ids, page.start, page.stop - page.start)


def timeline_for(task: Task, *, user, as_of: datetime.date, history_page=1) -> Timeline:
    """Each unit's latest readable report up to `as_of`, and page `history_page` of the rest
    (newest first; a page number that is not one gives the first or the last page), as rows
    of plain values. The person may read the task (the caller asked tasks.access).

    Queries (SQL written once: tasks.timeline_sql): the latest reports (with the number of all
    of them); the page of the others; their attachments and indicator values = 3, whatever
    the number of reports.
    """
    reports = timeline_sql.Reports(task.pk, as_of, readable_reports(user))
    rows, readable = reports.latest()
    shown = len(rows)
    older = _Older(reports, [r[0] for r in rows])
    page = _CountedPaginator(older, HISTORY_PER_PAGE, readable - shown).get_page(history_page)
    rows += page.object_list
    files, values = timeline_sql.items([r[0] for r in rows])
    rows = [
        ReportRow(
            *r[:5],
            _ROLES.get(r[5], r[5]),
            _STATES.get(r[6], r[6]),
            *r[7:],
            values=tuple(values.get(r[0], ())),
            attachments=tuple(files.get(r[0], ())),
        )
        for r in rows
    ]
    page.object_list = rows[shown:]
    return Timeline(latest=rows[:shown], history=page)


def _week_label(key: str) -> str:
    period = parse_period_key(key)
    return f"第{period.index}周" if period.cycle == "weekly" else f"{period.index}月"


def indicator_charts(task: Task, state: TaskState, as_of: datetime.date) -> list[str]:
    """SVG charts: completion against 序时进度, then each indicator against its target."""
    reports = list(
        task.reports.filter(
            role=TaskUnit.Role.LEAD, state__in=ProgressReport.State.COUNTED, period_start__lte=as_of
        )
        .order_by("period_start", "submitted_at")
        .values("period_key", "period_end", "percent")
    )
    charts = []
    if reports:
        by_period = {}
        for r in reports:
            by_period[r["period_key"]] = r  # the latest lead report of the period wins
        keys = list(by_period)
        start = datetime.date(task.plan.year, 1, 1)
        end = effective_deadline(task.deadline, task.extended_deadline) or datetime.date(
            task.plan.year, 12, 31
        )
        plan = [(n.day, n.percent) for n in state.nodes]
        ends = [by_period[k]["period_end"] for k in keys]
        markers = []
        for row in state.nodes:
            # On the first reported period ending on or after the node's date.
            index = next((i for i, e in enumerate(ends) if e >= row.day), None)
            if index is not None:
                label = f"{row.day.month}月{row.day.day}日 {row.description} {row.percent:g}%"
                markers.append((index, row.percent, row.outcome.value, label))
        charts.append(
            line_chart(
                [
                    ("完成进度", [(_week_label(k), _num(by_period[k]["percent"])) for k in keys]),
                    (
                        "序时进度",
                        [
                            (
                                _week_label(k),
                                expected_at_day(
                                    min(by_period[k]["period_end"], end), start, end, plan
                                ),
                            )
                            for k in keys
                        ],
                    ),
                ],
                title=f"任务 {task.number} 完成进度与序时进度",
                unit="%",
                y_max=100,
                markers=markers,
            )
        )
    values = list(
        counted_lead_values(as_of)
        .filter(indicator__task=task)
        .order_by("report__period_start", "report__pk")
        .values("indicator_id", "report__period_key", "actual")
    )
    for item in state.indicators:
        indicator = item.indicator
        points = {}
        for v in values:
            if v["indicator_id"] == indicator.pk:
                points[v["report__period_key"]] = float(v["actual"])
        if not points:
            continue
        charts.append(
            line_chart(
                [(f"{indicator.name}完成值", [(_week_label(k), p) for k, p in points.items()])],
                # Short enough to be shown whole beside the unit caption at 390 px.
                title=f"{indicator.name}（目标{indicator.get_comparator_display()}"
                f"{indicator.target_display}{indicator.unit}）",
                unit=indicator.unit,
                target=float(indicator.target),
            )
        )
    return [mark_safe(svg) for svg in charts]


def _num(value):
    return None if value is None else float(value)
