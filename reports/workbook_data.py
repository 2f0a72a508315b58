"""The plain data a weekly 督查 workbook is built from (no Django, no database).

reports.rollup fills these from a frozen snapshot; reports.workbook writes them (common.xlsx on XlsxWriter).
Keeping the two apart lets the benchmark build a 10,000-task workbook without a database.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaskRow:
    number: str  # "6(1)"
    text: str  # the task text
    lead_leaders: str  # "张娅、刘兆华"
    lead_units: str  # "区发展和改革局"
    cooperating_units: str  # "区政府各部门（单位）、各镇政府（街道办事处）"
    progress: str  # 本期进展 (the lead unit's report speaks for the task)
    problems: str  # 存在问题
    next_steps: str  # 下步打算
    completion: float | None  # 完成进度 in percent
    expected: float  # 序时进度 in percent
    status: str  # Status value: done / on_schedule / behind / seriously_behind / not_reported / not_started
    status_label: str  # 已办结 …
    light: str  # green / yellow / red / grey
    reporting: str  # 报送情况, e.g. "区发改局 已采纳；区财政局 逾期报送；堂邑镇 未报送"
    next_node: str = ""  # 下一节点, e.g. "09-30 主体完工 70%" (tasks.node_display)
    last_node: str = ""  # 上一节点是否按期完成, e.g. "否：06-30 开工 30%（实际 20%）"
    deadline: str = ""  # 完成时限 as planned, "2022-06-30" (the plan year's end when none)
    extended_deadline: str = ""  # 延期后时限 once an extension is approved, else ""
    closed_on: datetime.date | None = None  # 办结日期 of a 已办结 task (shown with its status)

    @property
    def status_text(self) -> str:
        """The 状态 cell: 已办结 carries its date on a second line."""
        if self.closed_on is None:
            return self.status_label
        return f"{self.status_label}\n{self.closed_on:%Y-%m-%d}"


@dataclass(frozen=True)
class SectionBlock:
    title: str  # "一、主要预期目标"
    rows: list[TaskRow]


@dataclass(frozen=True)
class LeaderSummary:
    name: str
    counts: dict[
        str, int
    ]  # status label -> count, in status order (已办结, 序时推进, 滞后, 严重滞后, 未报送, 未启动)
    lagging: list[str]  # "12 …（滞后）", tasks below schedule


@dataclass(frozen=True)
class UnitSummary:
    name: str
    led: int  # tasks led
    cooperated: int  # tasks cooperated on (named directly)
    due: int  # reports due this period
    on_time: int
    late: int
    missing: int
    rate: float  # 报送率 in percent: (on_time + late) / due
    lagging: list[str]  # led tasks below schedule


@dataclass(frozen=True)
class MissingUnit:
    name: str
    tasks: list[str]  # "12 …" tasks it has not reported on this period
    # (number, full task text) of the same tasks; empty for snapshots made before it existed
    full: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    number: str
    text: str
    before: str  # status label last period ("" when no earlier snapshot)
    after: str
    new_problems: str  # problems raised this period that the last period's report did not mention


@dataclass
class WorkbookData:
    title: str  # "2022年区政府工作报告重点工作任务推进情况周报"
    period_label: str  # "第20周（5月16日—5月22日）"
    generated_at: datetime.datetime
    sections: list[SectionBlock]
    leaders: list[LeaderSummary] = field(default_factory=list)
    units: list[UnitSummary] = field(default_factory=list)
    missing: list[MissingUnit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    status_labels: list[str] = field(
        default_factory=lambda: ["已办结", "序时推进", "滞后", "严重滞后", "未报送", "未启动"]
    )
    as_of: datetime.date | None = None  # the date the figures are as of (the cover says it)
    # Plain rows of further sheets, by sheet module (reports.workbook_coordination.KEY …).
    extra: dict = field(default_factory=dict)
    # The month's 单位考核 as frozen with the snapshot (reports.ranking.snapshot_rows), or None.
    scores: dict | None = None
    # 待审批申请: reports.workbook_applications.PendingApplication rows, oldest first
    applications: list = field(default_factory=list)

    def status_counts(self) -> dict[str, int]:
        """status label -> tasks, in status order (the cover sheet's first table)."""
        counts = dict.fromkeys(self.status_labels, 0)
        for section in self.sections:
            for row in section.rows:
                counts[row.status_label] = counts.get(row.status_label, 0) + 1
        return counts

    def section_counts(self) -> list[tuple[str, dict[str, int]]]:
        found = []
        for section in self.sections:
            counts = dict.fromkeys(self.status_labels, 0)
            for row in section.rows:
                counts[row.status_label] = counts.get(row.status_label, 0) + 1
            found.append((section.title, counts))
        return found

    def reporting_totals(self) -> dict[str, float]:
        """The period's reports over every unit: due, on time, late, missing and 报送率."""
        due = sum(u.due for u in self.units)
        on_time = sum(u.on_time for u in self.units)
        late = sum(u.late for u in self.units)
        missing = sum(u.missing for u in self.units)
        rate = round(100 * (on_time + late) / due, 1) if due else None
        return {"due": due, "on_time": on_time, "late": late, "missing": missing, "rate": rate}
