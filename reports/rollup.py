"""The weekly roll-up: freeze every task's state for a period, then write the workbook.

`produce()` is the one entry point: the Celery job, the `weekly_report` command and the
benchmark all go through it. Rerunning for the same plan × period replaces the snapshot and
the file (one of each, never duplicates); the file is written to a temporary path and moved
into place, so a reader never sees half a workbook.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from tasks import clock, reporting
from tasks.duties import expected_reporters
from tasks.export import responsibility_names, tasks_with_responsibilities
from tasks.models import Plan, ProgressReport, TaskUnit
from tasks.periods import Period
from tasks.progress import COUNTED, task_states
from tasks.status import Status

from .models import SnapshotRow, WeeklySnapshot
from .workbook import build_workbook
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
LAGGING = {Status.BEHIND, Status.SERIOUSLY_BEHIND, Status.NOT_REPORTED}
STATE_WORDS = {
    ProgressReport.State.SUBMITTED: "已提交",
    ProgressReport.State.APPROVED: "已审核",
    ProgressReport.State.ACCEPTED: "已采纳",
}


def as_of_for(plan: Plan, period: Period, today: datetime.date | None = None) -> datetime.date:
    """A period is judged at its end, or today if it is still running."""
    return min(period.end, reporting.as_of_date(plan, today))


def _short(number: str, text: str, limit: int = 30) -> str:
    return f"{number} {text[:limit]}{'…' if len(text) > limit else ''}"


def _problems_raised(now: str, before: str) -> str:
    return now if now and now.strip() != before.strip() else ""


@transaction.atomic
def freeze(plan: Plan, period: Period, *, today: datetime.date | None = None) -> WeeklySnapshot:
    """Write (or replace) the snapshot of the plan for the period, in one transaction."""
    as_of = as_of_for(plan, period, today)
    tasks = list(tasks_with_responsibilities(plan))
    states = task_states(plan, as_of)
    previous_states = task_states(plan, as_of_for(plan, period.previous(), today))
    duties = expected_reporters(plan.tasks.all())
    units = {
        d.pk: d
        for d in Department.objects.filter(pk__in={u for d in duties.values() for u, _ in d})
    }
    this_period = defaultdict(dict)  # task id -> department id -> report
    for report in ProgressReport.objects.filter(task__plan=plan, period_key=period.key):
        this_period[report.task_id][report.department_id] = report
    last_period_lead = {
        r.task_id: r
        for r in ProgressReport.objects.filter(
            task__plan=plan,
            period_key=period.previous().key,
            role=TaskUnit.Role.LEAD,
            state__in=COUNTED,
        ).order_by("period_start", "submitted_at")
    }

    snapshot, _ = WeeklySnapshot.objects.select_for_update().get_or_create(
        plan=plan,
        period_key=period.key,
        defaults={"period_label": period.label, "as_of": as_of, "generated_at": clock.now()},
    )
    snapshot.rows.all().delete()
    rows, unit_tally, leader_tally, changes = [], {}, {}, []
    for order, task in enumerate(tasks, start=1):
        state = states[task.pk]
        reports = this_period.get(task.pk, {})
        lead_report = _lead_report_of(reports)
        unit_words, unit_details = [], []
        for department_id, role in duties.get(task.pk, []):
            report = reports.get(department_id)
            counted = report is not None and report.counts_as_reported
            word = (
                "未报送"
                if not counted
                else ("逾期报送" if report.is_late else STATE_WORDS[report.state])
            )
            name = units[department_id].name
            unit_words.append(f"{name} {word}")
            unit_details.append({"unit": name, "role": role, "state": word})
            tally = unit_tally.setdefault(
                department_id,
                {"led": 0, "cooperated": 0, "due": 0, "on_time": 0, "late": 0, "missing": []},
            )
            tally["led" if role == TaskUnit.Role.LEAD else "cooperated"] += 1
            tally["due"] += 1
            if not counted:
                tally["missing"].append(_short(task.number, task.text))
            elif report.is_late:
                tally["late"] += 1
            else:
                tally["on_time"] += 1
            if role == TaskUnit.Role.LEAD and state.status in LAGGING:
                tally.setdefault("lagging", []).append(_short(task.number, task.text))
        for link in task.leader_links.all():
            tally = leader_tally.setdefault(
                link.leader.name, {"counts": defaultdict(int), "lagging": []}
            )
            tally["counts"][state.status.label] += 1
            if state.status in LAGGING:
                tally["lagging"].append(f"{_short(task.number, task.text)}（{state.status.label}）")
        before = previous_states[task.pk].status
        previous_lead = last_period_lead.get(task.pk)
        raised = _problems_raised(
            lead_report.problems if lead_report else "",
            previous_lead.problems if previous_lead else "",
        )
        if before != state.status or raised:
            changes.append(
                {
                    "number": task.number,
                    "text": task.text,
                    "before": before.label,
                    "after": state.status.label,
                    "new_problems": raised,
                }
            )
        rows.append(
            SnapshotRow(
                snapshot=snapshot,
                task=task,
                sort_order=order,
                status=state.status.value,
                completion=state.completion,
                expected=state.expected,
                progress=lead_report.progress if lead_report else "",
                problems=lead_report.problems if lead_report else "",
                next_steps=lead_report.next_steps if lead_report else "",
                reporting="；".join(unit_words),
                details={
                    "units": unit_details,
                    "indicators": [
                        {
                            "name": i.indicator.name,
                            "target": str(i.indicator.target_display),
                            "unit": i.indicator.unit,
                            "actual": None
                            if i.actual is None
                            else format(i.actual.normalize(), "f"),
                            "completion": i.completion,
                        }
                        for i in state.indicators
                    ],
                },
            )
        )
    SnapshotRow.objects.bulk_create(rows, batch_size=1000)
    snapshot.period_label = period.label
    snapshot.as_of = as_of
    snapshot.generated_at = clock.now()
    snapshot.summary = {
        "leaders": [
            {"name": name, "counts": dict(t["counts"]), "lagging": t["lagging"]}
            for name, t in leader_tally.items()
        ],
        "units": [
            {"name": units[pk].name, "sort": units[pk].sort_order, **{k: v for k, v in t.items()}}
            for pk, t in unit_tally.items()
        ],
        "changes": changes,
    }
    snapshot.save()
    return snapshot


def _lead_report_of(reports: dict) -> ProgressReport | None:
    """The lead unit's counted report speaks for the task (the first-listed lead wins ties)."""
    leads = [r for r in reports.values() if r.role == TaskUnit.Role.LEAD and r.counts_as_reported]
    return min(leads, key=lambda r: (r.submitted_at or timezone.now(), r.pk)) if leads else None


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
            )
        )
    summary = snapshot.summary
    labels = [s.label for s in Status]
    units = sorted(summary.get("units", []), key=lambda u: (u["sort"], u["name"]))
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
        missing=[MissingUnit(name=u["name"], tasks=u["missing"]) for u in units if u["missing"]],
        changes=[Change(**c) for c in summary.get("changes", [])],
        status_labels=labels,
    )


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
    """Freeze the period and write its workbook; rerunning replaces both."""
    report = on_progress or (lambda percent: None)
    report(10)
    snapshot = freeze(plan, period, today=today)
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
