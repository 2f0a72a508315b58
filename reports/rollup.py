"""The weekly roll-up: freeze every task's state for a period, then write the workbook.

`produce()` is the one entry point: the Celery job, the `weekly_report` command and the
benchmark all go through it. Rerunning for the same plan × period replaces the snapshot and
the file (one of each, never duplicates); the file is written to a temporary path and moved
into place, so a reader never sees half a workbook.
"""

import datetime
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tasks import clock, reporting
from tasks.deadlines import current_date
from tasks.export import responsibility_names, tasks_with_responsibilities
from tasks.models import Plan
from tasks.node_display import node_cells
from tasks.periods import Period
from tasks.status import Status, summarize

from . import coordination_rows, escalation_flow, ranking
from .models import SnapshotRow, WeeklySnapshot
from .overview import LAGGING, period_overview, short
from .workbook import build_workbook
from .workbook_applications import from_summary, pending_rows
from .workbook_coordination import KEY as COORDINATION
from .workbook_data import (
    Change,
    LeaderSummary,
    MissingUnit,
    SectionBlock,
    TaskRow,
    UnitSummary,
    WorkbookData,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def freeze(plan: Plan, period: Period, *, today: datetime.date | None = None) -> WeeklySnapshot:
    """Write (or replace) the snapshot of the plan for the period, in one transaction."""
    view = period_overview(plan, period, today=today)
    snapshot, _ = WeeklySnapshot.objects.select_for_update().get_or_create(
        plan=plan,
        period_key=period.key,
        defaults={"period_label": period.label, "as_of": view.as_of, "generated_at": clock.now()},
    )
    snapshot.rows.all().delete()
    rows = []
    for order, task in enumerate(view.tasks, start=1):
        state = view.states[task.pk]
        lead = view.lead_report(task)
        words = view.unit_words(task)
        rows.append(
            SnapshotRow(
                snapshot=snapshot,
                task=task,
                sort_order=order,
                status=state.status.value,
                completion=state.completion,
                expected=state.expected,
                progress=lead.progress if lead else "",
                problems=lead.problems if lead else "",
                next_steps=lead.next_steps if lead else "",
                reporting="；".join(f"{w['unit']} {w['state']}" for w in words),
                details={
                    "units": words,
                    "indicators": _indicator_details(state),
                    "nodes": node_cells(state),
                    "deadline": _deadlines(task, plan.year),
                },
            )
        )
    SnapshotRow.objects.bulk_create(rows, batch_size=1000)
    snapshot.period_label = period.label
    snapshot.as_of = view.as_of
    snapshot.generated_at = clock.now()
    snapshot.summary = _summary(view)
    snapshot.summary[COORDINATION] = coordination_rows.frozen(plan, period, view.as_of)
    snapshot.summary["scores"] = ranking.snapshot_rows(plan, view.as_of)
    snapshot.summary["applications"] = pending_rows(plan, view.as_of)
    snapshot.save()
    return snapshot


def _deadlines(task, year: int) -> list:
    """[完成时限, 延期后时限 or None] as frozen: the original (the year's end when none) and the
    approved extension in force that week."""
    original = current_date(year, task.deadline, None)
    extended = task.extended_deadline
    return [original.isoformat(), extended.isoformat() if extended else None]


def _indicator_details(state) -> list[dict]:
    return [
        {
            "name": i.indicator.name,
            "target": i.indicator.target_display,
            "unit": i.indicator.unit,
            "actual": None if i.actual is None else format(i.actual.normalize(), "f"),
            "completion": i.completion,
        }
        for i in state.indicators
    ]


def _summary(view) -> dict:
    leaders: dict[str, dict] = {}
    for task in view.tasks:
        status = view.states[task.pk].status
        for link in task.leader_links.all():
            entry = leaders.setdefault(link.leader.name, {"statuses": [], "lagging": []})
            entry["statuses"].append(status)
            if status in LAGGING:
                entry["lagging"].append(f"{short(task)}（{status.label}）")
    units = sorted(view.units.values(), key=lambda u: (u.department.sort_order, u.department.name))
    return {
        "leaders": [
            {
                "name": name,
                "counts": {s.label: n for s, n in summarize(e["statuses"]).items() if n},
                "lagging": e["lagging"],
            }
            for name, e in leaders.items()
        ],
        "units": [
            {
                "name": u.department.name,
                "led": u.led,
                "cooperated": u.cooperated,
                "due": u.due,
                "on_time": u.on_time,
                "late": u.late,
                "missing": [short(t) for t in u.missing],
                "missing_full": [[t.number, t.text] for t in u.missing],
                "lagging": [short(t) for t in u.lagging],
            }
            for u in units
        ],
        "changes": [
            {k: c[k] for k in ("number", "text", "before", "after", "new_problems")}
            for c in view.changes()
        ],
    }


def workbook_data(snapshot: WeeklySnapshot) -> WorkbookData:
    plan = snapshot.plan
    tasks = {t.pk: t for t in tasks_with_responsibilities(plan)}
    sections: dict[int, SectionBlock] = {}
    for row in snapshot.rows.all():
        task = tasks[row.task_id]
        leaders, lead_units, cooperating = responsibility_names(task)
        status = Status(row.status)
        block = sections.setdefault(
            task.section_id,
            SectionBlock(title=f"{task.section.number}、{task.section.title}", rows=[]),
        )
        block.rows.append(
            TaskRow(
                number=task.number,
                text=task.text,
                lead_leaders="、".join(leaders),
                lead_units="、".join(lead_units),
                cooperating_units="、".join(cooperating),
                progress=row.progress,
                problems=row.problems,
                next_steps=row.next_steps,
                completion=row.completion,
                expected=row.expected,
                status=status.value,
                status_label=status.label,
                light=status.light,
                reporting=row.reporting,
                next_node=row.details.get("nodes", {}).get("next", ""),
                last_node=row.details.get("nodes", {}).get("last", ""),
                closed_on=task.closed_on if status is Status.DONE else None,
                **_deadline_fields(row, task, plan.year),
            )
        )
    summary = snapshot.summary
    labels = [s.label for s in Status]
    units = summary.get("units", [])
    period = snapshot.period_label
    return WorkbookData(
        title=f"{plan.year}年{_report_name(plan)}推进情况周报",
        period_label=period.split("年", 1)[1] if period.startswith(f"{plan.year}年") else period,
        generated_at=timezone.localtime(snapshot.generated_at),
        sections=list(sections.values()),
        leaders=[
            LeaderSummary(
                name=leader["name"],
                counts={k: leader["counts"].get(k, 0) for k in labels},
                lagging=leader["lagging"],
            )
            for leader in summary.get("leaders", [])
        ],
        units=[
            UnitSummary(
                name=u["name"],
                led=u["led"],
                cooperated=u["cooperated"],
                due=u["due"],
                on_time=u["on_time"],
                late=u["late"],
                missing=len(u["missing"]),
                rate=round(100 * (u["on_time"] + u["late"]) / u["due"], 1) if u["due"] else 100.0,
                lagging=u.get("lagging", []),
            )
            for u in units
        ],
        missing=[
            MissingUnit(
                name=u["name"],
                tasks=u["missing"],
                full=[tuple(t) for t in u.get("missing_full", [])],
            )
            for u in units
            if u["missing"]
        ],
        changes=[Change(**c) for c in summary.get("changes", [])],
        status_labels=labels,
        as_of=snapshot.as_of,
        extra={k: summary[k] for k in (COORDINATION,) if k in summary},
        scores=summary.get("scores"),
        applications=from_summary(summary),
    )


def _deadline_fields(row, task, year: int) -> dict:
    """完成时限 and 延期后时限 as the snapshot froze them (the task's, for older snapshots)."""
    original, extended = row.details.get("deadline") or _deadlines(task, year)
    return {"deadline": original, "extended_deadline": extended or ""}


def _report_name(plan: Plan) -> str:
    # "2022年区政府工作报告重点工作任务部门分工方案" → "区政府工作报告重点工作任务"
    name = plan.title.removeprefix(f"{plan.year}年").removeprefix(f"{plan.year} 年")
    for suffix in ("部门分工方案", "分工方案"):
        name = name.removesuffix(suffix)
    return name


def workbook_path(plan: Plan, period: Period) -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "weekly" / plan.slug / f"{period.key}.xlsx"


def produce(
    plan: Plan,
    period: Period,
    *,
    today: datetime.date | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> WeeklySnapshot:
    """Freeze the period and write its workbook; rerunning replaces both.

    A period not begun yet is refused (ValueError, in Chinese): its workbook would be 0 %
    everywhere and read as if it were real.
    """
    if refused := reporting.refuse_future(plan, period, "周报", today):
        raise ValueError(refused)
    report = on_progress or (lambda percent: None)
    report(10)
    snapshot = freeze(plan, period, today=today)
    escalation_flow.propose_after_rollup(plan, period, today)  # the office confirms each
    report(60)
    target = workbook_path(plan, period)
    build_workbook(workbook_data(snapshot), target)
    report(95)
    snapshot.file = str(target.relative_to(settings.MEDIA_ROOT))
    snapshot.save(update_fields=["file"])
    logger.info(
        "weekly workbook %s %s written (%d rows)", plan.slug, period.key, snapshot.rows.count()
    )
    return snapshot
