"""督查通报: what one bulletin says, built from the period's Overview.

The figures come from reports.overview.period_overview, the same call the dashboard and the
weekly workbook make, and are never counted a second way: the status counts are
Overview.status_counts(), the 报送率 Overview.reporting_rate, the lagging list Overview.lagging(),
the units' tallies Overview.units. This module only words and orders them; reports.bulletin_doc
writes the .docx and templates/reports/bulletin_preview.html the same content as HTML.

A weekly bulletin reports one of the plan's periods. A monthly bulletin reports the state at the
end of the month: the figures of the plan's last period that ended within the month (for a
weekly plan, the month's last full week), so its numbers equal that week's workbook.
"""

import datetime
from dataclasses import dataclass, field

from tasks import reporting
from tasks.export import responsibility_names
from tasks.models import Plan
from tasks.periods import MONTHLY, WEEKLY, Period, parse_period_key, period_containing
from tasks.progress import thresholds
from tasks.status import Status, pace_status

from .overview import Overview, period_overview

DEFAULT_REQUIREMENTS = (
    "各牵头单位要对照年度目标任务和序时进度，逐项梳理滞后事项，分析原因、明确措施、压实责任，"
    "确保按期完成；主要负责同志要亲自研究推动，对严重滞后的任务逐项制定赶超方案。"
    "各单位要严格落实报送制度，按时、如实报送工作进展，对未按时报送的单位，区政府督查室将予以催办并通报。"
)
PROBLEM_LIMIT = 60  # 存在问题 in brief
TASK_LIMIT = 40  # the task text in the lagging table
TOP_LAGGING_UNITS = 10


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int
    share: float  # percent of all tasks


@dataclass(frozen=True)
class IndicatorLine:
    task_number: str
    name: str
    target: str  # "不低于 10 家"
    actual: str  # "6" or "—"
    completion: float | None  # percent of the target
    expected: float  # the task's 序时进度
    behind: bool  # no value, or more than the yellow threshold below 序时


@dataclass(frozen=True)
class LaggingLine:
    number: str
    task: str
    leaders: str
    units: str
    completion: float | None
    expected: float
    status_label: str
    problems: str

    @property
    def progress_text(self) -> str:
        """完成/序时: "20.0%/38.4%"."""
        return f"{percent(self.completion)}/{percent(self.expected)}"


@dataclass(frozen=True)
class UnitLine:
    name: str
    count: int


@dataclass
class BulletinContent:
    masthead: str
    number: int | None
    issuer: str
    date_text: str
    title: str
    period_label: str
    as_of: datetime.date
    total: int
    statuses: list[StatusCount]
    due: int
    received: int
    late: int
    missing: int
    rate: float
    indicators: list[IndicatorLine] = field(default_factory=list)
    lagging: list[LaggingLine] = field(default_factory=list)
    late_units: list[UnitLine] = field(default_factory=list)
    missing_units: list[UnitLine] = field(default_factory=list)
    lagging_units: list[UnitLine] = field(default_factory=list)
    requirements: str = ""
    copy_to: str = ""
    send_to: str = ""

    @property
    def number_line(self) -> str:
        return f"第{self.number}期" if self.number else "第　期"

    def count(self, label: str) -> int:
        return next((s.count for s in self.statuses if s.label == label), 0)

    @property
    def summary(self) -> str:
        """总体情况, one paragraph."""
        parts = "；".join(f"{s.label}{s.count}项，占{s.share:.1f}%" for s in self.statuses)
        return (
            f"截至{chinese_date(self.as_of)}，{self.total}项重点任务中，{parts}。"
            f"本期应报送进展{self.due}项次，已报送{self.received}项次（其中逾期{self.late}项次），"
            f"未报送{self.missing}项次，报送率{self.rate:.1f}%。"
        )

    @property
    def indicator_summary(self) -> str:
        if not self.indicators:
            return "本期无量化指标。"
        met = sum(1 for i in self.indicators if i.completion is not None and i.completion >= 100)
        unreported = sum(1 for i in self.indicators if i.completion is None)
        behind = [i for i in self.indicators if i.behind]
        text = (
            f"{len(self.indicators)}项量化指标中，已达到目标值{met}项，"
            f"达到序时进度{len(self.indicators) - len(behind)}项，"
            f"低于序时进度或未报完成值{len(behind)}项（其中未报完成值{unreported}项）"
        )
        if not behind:
            return text + "。"
        named = "；".join(
            f"{i.name}（任务{i.task_number}，完成{percent(i.completion)}，序时{percent(i.expected)}）"
            for i in behind
        )
        return f"{text}：{named}。"

    @property
    def lagging_summary(self) -> str:
        if not self.lagging:
            return "本期无滞后任务。"
        counts = "、".join(
            f"{label}{self.count(label)}项"
            for label in (
                Status.SERIOUSLY_BEHIND.label,
                Status.NOT_REPORTED.label,
                Status.BEHIND.label,
            )
            if self.count(label)
        )
        return f"本期滞后任务共{len(self.lagging)}项（{counts}），按滞后程度排列如下："

    @property
    def reporting_lines(self) -> list[str]:
        def names(units):
            return "、".join(f"{u.name}（{u.count}项）" for u in units)

        lines = []
        lines.append(
            f"逾期报送的单位：{names(self.late_units)}。"
            if self.late_units
            else "本期无逾期报送的单位。"
        )
        lines.append(
            f"未报送的单位：{names(self.missing_units)}。"
            if self.missing_units
            else "本期各单位均已报送。"
        )
        if self.lagging_units:
            lines.append(f"牵头滞后任务较多的单位：{names(self.lagging_units)}。")
        return lines


# --- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulletinPeriod:
    kind: str  # weekly / monthly
    key: str  # 2022-W20 / 2022-05
    label: str  # 2022年第20周（5月16日—5月22日） / 2022年5月
    source: Period  # the plan period whose figures it prints


def bulletin_period(
    plan: Plan, kind: str, key: str, today: datetime.date | None = None
) -> BulletinPeriod:
    """The period a bulletin reports; ValueError (a Chinese message) for anything else.

    A period still to come is refused; a month still running reports the current period.
    """
    if kind not in (WEEKLY, MONTHLY):
        raise ValueError("通报类型应为周通报或月通报")
    if kind == WEEKLY and plan.cycle != WEEKLY:
        raise ValueError("该方案按月报送，只能出月通报")
    period = parse_period_key(key or "", kind)
    if kind == plan.cycle:
        source = period
    else:  # a month of a weekly plan: its last week that ended within the month
        source = period_containing(period.end, plan.cycle)
        if source.end > period.end:
            source = source.previous()
    as_of = reporting.as_of_date(plan, today)
    if period.start > as_of:
        raise ValueError("该期间尚未开始")
    source = min(source, period_containing(as_of, plan.cycle))
    if not (source.end.year >= plan.year and source.start.year <= plan.year):
        raise ValueError(f"该期间不在{plan.year}年方案之内")
    return BulletinPeriod(kind=kind, key=period.key, label=period.label, source=source)


def bulletin_choices(plan: Plan, today: datetime.date | None = None) -> list[BulletinPeriod]:
    """Every period up to now of the plan's year, newest first: weeks, then months."""
    as_of = reporting.as_of_date(plan, today)
    choices = []
    kinds = (WEEKLY, MONTHLY) if plan.cycle == WEEKLY else (MONTHLY,)
    for kind in kinds:
        period = period_containing(as_of, kind)
        while period.end.year >= plan.year and period.start.year <= plan.year:
            try:
                choices.append(bulletin_period(plan, kind, period.key, today))
            except ValueError:
                pass  # a month whose last week ended before the plan's year
            period = period.previous()
    return choices


# --- content ----------------------------------------------------------------------------------


def build_content(
    plan: Plan,
    period: BulletinPeriod,
    *,
    masthead: str,
    issuer: str,
    number: int | None,
    issued_on: datetime.date,
    requirements: str = DEFAULT_REQUIREMENTS,
    copy_to: str = "",
    send_to: str = "",
    today: datetime.date | None = None,
) -> BulletinContent:
    view = period_overview(plan, period.source, today=today)
    return content_from_overview(
        view,
        period,
        masthead=masthead,
        issuer=issuer,
        number=number,
        issued_on=issued_on,
        requirements=requirements,
        copy_to=copy_to,
        send_to=send_to,
    )


def content_from_overview(view: Overview, period: BulletinPeriod, **fields) -> BulletinContent:
    total = len(view.tasks)
    counts = view.status_counts()
    shown = [s for s in Status if s != Status.NOT_STARTED or counts[s]]
    statuses = [
        StatusCount(s.label, counts[s], round(100 * counts[s] / total, 1) if total else 0.0)
        for s in shown
    ]
    units = sorted(view.units.values(), key=lambda u: (u.department.sort_order, u.department.name))
    by_count = lambda lines: sorted(lines, key=lambda u: -u.count)  # noqa: E731 - stable sort
    return BulletinContent(
        title=f"关于{period.label}政府工作报告重点任务推进情况的通报",
        period_label=period.label,
        as_of=view.as_of,
        total=total,
        statuses=statuses,
        due=view.report_counts.get("due", 0),
        received=view.received,
        late=view.report_counts.get("late", 0),
        missing=view.report_counts.get("missing", 0),
        rate=view.reporting_rate,
        indicators=_indicators(view),
        lagging=_lagging(view),
        late_units=by_count([UnitLine(u.department.name, u.late) for u in units if u.late]),
        missing_units=by_count(
            [UnitLine(u.department.name, len(u.missing)) for u in units if u.missing]
        ),
        lagging_units=by_count(
            [UnitLine(u.department.name, len(u.lagging)) for u in units if u.lagging]
        )[:TOP_LAGGING_UNITS],
        date_text=chinese_date(fields.pop("issued_on")),
        **fields,
    )


def _indicators(view: Overview) -> list[IndicatorLine]:
    limits = thresholds()
    lines = []
    for task in view.tasks:
        state = view.states[task.pk]
        for item in state.indicators:
            indicator = item.indicator
            completion = item.completion
            lines.append(
                IndicatorLine(
                    task_number=task.number,
                    name=indicator.name,
                    target=f"{indicator.get_comparator_display()}{indicator.target_display}"
                    f"{indicator.unit}",
                    actual="—" if item.actual is None else format(item.actual.normalize(), "f"),
                    completion=completion,
                    expected=state.expected,
                    behind=completion is None
                    or pace_status(completion, state.expected, limits) is not Status.ON_SCHEDULE,
                )
            )
    return lines


def _brief(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _lagging(view: Overview) -> list[LaggingLine]:
    """Overview.lagging() (严重滞后, 未报送, 滞后), the widest gap first within each."""
    order = {task.pk: i for i, task in enumerate(view.lagging())}

    def gap(task):
        state = view.states[task.pk]
        return state.expected - (state.completion or 0.0)

    tasks = sorted(
        view.lagging(),
        key=lambda t: (_rank(view.states[t.pk].status), -round(gap(t), 6), order[t.pk]),
    )
    lines = []
    for task in tasks:
        state = view.states[task.pk]
        leaders, lead_units, _ = responsibility_names(task)
        lead = view.lead_report(task)
        problems = lead.problems if lead else ""
        if not problems:
            problems = "本期未报送进展" if lead is None else "未填写"
        lines.append(
            LaggingLine(
                number=task.number,
                task=_brief(task.text, TASK_LIMIT),
                leaders="、".join(leaders),
                units="、".join(lead_units),
                completion=state.completion,
                expected=state.expected,
                status_label=state.label,
                problems=_brief(problems, PROBLEM_LIMIT),
            )
        )
    return lines


def _rank(status: Status) -> int:
    return (Status.SERIOUSLY_BEHIND, Status.NOT_REPORTED, Status.BEHIND).index(status)
