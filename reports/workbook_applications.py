"""待审批申请, a sheet of the weekly workbook: the applications still waiting for a decision at
the snapshot, oldest first, with the step they wait at and for how many days.

Two halves, as for the rest of the workbook: `pending_rows(plan, as_of)` reads the database when
the roll-up freezes the week (reports.rollup keeps the rows in the snapshot's summary), and
`applications_sheet(workbook, data)` writes them from the WorkbookData (no database).

Each kind of application gives its rows through one function returning PendingApplication
rows; `pending_rows` lists those functions. Closure applications (办结申请) add theirs with one
line there: ``*closure_rows(plan, as_of),``.
"""

import dataclasses
import datetime

from django.utils import timezone

from common.xlsx import (
    BODY_FONT,
    CENTER,
    INTEGER_FORMAT,
    TEXT,
    RowWriter,
    number_cell,
    prepare_sheet,
    span_row,
    text_cell,
)
from reports.workbook_cover import header_row
from reports.workbook_data import WorkbookData
from tasks.closure import pending_rows as closure_pending_rows
from tasks.models import ExtensionApplication

SHEET_NAME = "待审批申请"
HEADERS = (
    "类别",
    "序号",
    "工作任务",
    "申请单位",
    "申请事项",
    "理由",
    "申请日期",
    "当前环节",
    "已等待（天）",
)
WIDTHS = (10, 8, 40, 20, 30, 40, 12, 14, 10)
NOTHING_PENDING = "截至本期没有待审批的申请"


@dataclasses.dataclass(frozen=True)
class PendingApplication:
    kind: str  # 延期申请, 办结申请 …
    number: str  # the task's number
    text: str  # the task's text
    unit: str  # the applying unit
    subject: str  # what is asked: "完成时限 2022-03-31 → 2022-09-30"
    reason: str
    applied_on: str  # ISO date
    step: str  # the state it waits in: 待单位审核 …
    days: int  # days waited at the snapshot's as-of date

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _days(applied_on: datetime.date, as_of: datetime.date) -> int:
    return max(0, (as_of - applied_on).days)


def extension_rows(plan, as_of: datetime.date) -> list[PendingApplication]:
    """Pending deadline extensions of the plan's tasks, applied by the as-of date (one query)."""
    found = (
        ExtensionApplication.objects.filter(
            task__plan=plan,
            state__in=ExtensionApplication.PENDING,
            applied_at__date__lte=as_of,
        )
        .select_related("task", "unit", "node")
        .order_by("applied_at", "pk")
    )
    return [
        PendingApplication(
            kind="延期申请",
            number=a.task.number,
            text=a.task.text,
            unit=a.unit.name,
            subject=f"{a.subject} {a.original_date:%Y-%m-%d} → {a.requested_date:%Y-%m-%d}",
            reason=a.reason,
            applied_on=timezone.localdate(a.applied_at).isoformat(),
            step=a.get_state_display(),
            days=_days(timezone.localdate(a.applied_at), as_of),
        )
        for a in found
    ]


def closure_rows(plan, as_of: datetime.date) -> list[PendingApplication]:
    """Pending closure applications (办结申请) applied by the as-of date (tasks.closure)."""
    return [
        PendingApplication(
            kind=r["kind"],
            number=r["number"],
            text=r["task"],
            unit=r["unit"],
            subject="申请办结（销号）",
            reason=r["detail"],
            applied_on=r["applied_on"].isoformat(),
            step=r["state"],
            days=_days(r["applied_on"], as_of),
        )
        for r in closure_pending_rows(plan, as_of)
    ]


def pending_rows(plan, as_of: datetime.date) -> list[dict]:
    """Every pending application of the plan, oldest first, as the snapshot keeps them."""
    rows = [
        *extension_rows(plan, as_of),
        *closure_rows(plan, as_of),
    ]
    rows.sort(key=lambda r: (r.applied_on, r.kind, r.number))
    return [r.as_dict() for r in rows]


def from_summary(summary: dict) -> list[PendingApplication]:
    """The rows a snapshot kept (none for snapshots made before the sheet existed)."""
    names = {f.name for f in dataclasses.fields(PendingApplication)}
    return [
        PendingApplication(**{k: v for k, v in row.items() if k in names})
        for row in summary.get("applications", [])
    ]


def applications_sheet(workbook, data: WorkbookData) -> None:
    sheet = workbook.create_sheet(title=SHEET_NAME)
    prepare_sheet(
        sheet,
        widths=list(WIDTHS),
        freeze="A2",
        title_rows="1:1",
        page_header=f"{data.title}　{data.period_label}　{SHEET_NAME}",
    )
    rows = RowWriter(sheet, WIDTHS)
    rows.append(header_row(sheet, HEADERS), HEADERS)
    if not data.applications:
        rows.append(span_row(sheet, NOTHING_PENDING, len(HEADERS), font=BODY_FONT), [""])
        return
    for a in data.applications:
        texts = (a.kind, a.number, a.text, a.unit, a.subject, a.reason, a.applied_on, a.step)
        rows.append(
            [
                text_cell(sheet, a.kind, alignment=CENTER),
                text_cell(sheet, a.number, alignment=CENTER),
                text_cell(sheet, a.text, alignment=TEXT),
                text_cell(sheet, a.unit, alignment=TEXT),
                text_cell(sheet, a.subject, alignment=TEXT),
                text_cell(sheet, a.reason, alignment=TEXT),
                text_cell(sheet, a.applied_on, alignment=CENTER),
                text_cell(sheet, a.step, alignment=CENTER),
                number_cell(sheet, a.days, number_format=INTEGER_FORMAT),
            ],
            (*texts, None),
        )
