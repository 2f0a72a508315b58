"""Demo 需协调事项 and stale reports (进展停滞), on top of the demo reports (``manage.py setup``).

Deterministic: the first lead-unit demo reports (in plan order) of the last three demo periods
whose 存在问题 is written become items — most 需领导协调, one in three 需部门协调 naming a
cooperating unit — in each state (待协调, 协调中 after a reply, 已解决, and one overdue); a few
tasks' latest lead report repeats the previous week's 工作进展 word for word, so the review
pages, the dashboard and the workbook flag them as 与上期基本相同. Rerunning replaces them.
"""

import datetime

from django.db import transaction

from departments.models import Department
from leaders.models import CoordinationItem

from .. import audit, revision
from ..coordination import default_due
from ..models import ProgressReport, TaskEvent, TaskLeader, TaskUnit
from .writer import demo_user

ITEMS = 8
STALE = 4
COUNTED = ProgressReport.State.COUNTED
Kind, State = CoordinationItem.Kind, CoordinationItem.State


def _lead_reports(plan, keys):
    return list(
        ProgressReport.objects.filter(
            task__plan=plan, is_demo=True, role="lead", state__in=COUNTED, period_key__in=keys
        )
        .select_related("task", "department")
        .order_by("task__sort_order", "-period_start", "pk")
    )


@transaction.atomic
def seed_coordination(plan) -> dict:
    """Write the demo items and stale reports of the plan; returns how many of each."""
    user = demo_user()
    old = CoordinationItem.objects.filter(task__plan=plan, report__is_demo=True)
    TaskEvent.objects.filter(
        object_type=CoordinationItem._meta.label_lower, object_id__in=old.values("pk")
    ).delete()
    old.delete()
    keys = list(
        ProgressReport.objects.filter(task__plan=plan, is_demo=True)
        .order_by("-period_start")
        .values_list("period_key", flat=True)
        .distinct()[:3]
    )
    keys = sorted(set(keys), reverse=True)
    if len(keys) < 2:
        return {"items": 0, "stale": 0}
    reports = _lead_reports(plan, keys)
    items = _items(plan, [r for r in reports if r.problems.strip()], user)
    stale = _stale(reports, keys)
    revision.bump()
    return {"items": items, "stale": stale}


def _items(plan, reports, user) -> int:
    seen, made = set(), 0
    for report in reports:
        if made >= ITEMS or report.task_id in seen:
            continue
        seen.add(report.task_id)
        kind = Kind.DEPARTMENT if made % 3 == 2 else Kind.LEADER
        partners = list(
            TaskUnit.objects.filter(task=report.task, department__isnull=False)
            .exclude(department=report.department)
            .values_list("department_id", flat=True)[:1]
        )
        if kind == Kind.DEPARTMENT and not partners:  # no named partner: the finance bureau
            partners = list(
                Department.objects.exclude(pk=report.department_id)
                .filter(name__contains="财政")
                .values_list("pk", flat=True)[:1]
            )
        if kind == Kind.DEPARTMENT and not partners:
            kind = Kind.LEADER
        raised = report.submitted_at or report.created_at
        item = CoordinationItem.objects.create(
            task=report.task,
            department=report.department,
            report=report,
            period_key=report.period_key,
            text=report.problems,
            kind=kind,
            due=default_due(raised.date()),
            created_at=raised,
            created_by=user,
        )
        if kind == Kind.LEADER:
            item.leaders.set(
                TaskLeader.objects.filter(task=report.task).values_list("leader_id", flat=True)
            )
        else:
            item.units.set(partners)
        audit.record(
            report.task,
            "coordination.opened",
            actor=None,
            summary=f"{report.department.name}提出{item.get_kind_display()}（演示数据）",
            obj=item,
        )
        _advance(item, made, raised)
        made += 1
    return made


def _advance(item, n: int, raised: datetime.datetime) -> None:
    """0, 4: 待协调; 1, 5: 协调中; 2, 6: 已解决; 3: overdue (due passed, still 待协调); 7: 无法解决."""
    step = n % 8
    if step in (1, 5):
        item.state = State.IN_PROGRESS
        audit.record(
            item.task,
            "coordination.replied",
            actor=None,
            summary="已答复（演示数据）",
            reason="已召开协调会，明确责任分工，正在推进。",
            obj=item,
        )
    elif step in (2, 6, 7):
        item.state = State.RESOLVED if step != 7 else State.UNRESOLVABLE
        item.note = (
            "经协调已解决，相关手续已办结。"
            if step != 7
            else "涉及上级审批权限，本级无法解决，已报市级部门。"
        )
        item.closed_at = raised + datetime.timedelta(days=5)
        audit.record(
            item.task,
            "coordination.closed",
            actor=None,
            summary=f"需协调事项{item.get_state_display()}（演示数据）",
            reason=item.note,
            obj=item,
        )
    elif step == 3:
        item.due = raised.date() - datetime.timedelta(days=1) + datetime.timedelta(days=7)
    item.save()


def _stale(reports, keys) -> int:
    """The latest lead report of a few tasks repeats the previous one's 工作进展."""
    latest, previous = keys[0], keys[1]
    by_task: dict[int, dict] = {}
    for report in reports:
        by_task.setdefault(report.task_id, {})[report.period_key] = report
    made = 0
    # From the end of the plan, so the items above (from the start) and these rarely meet.
    for task_id in sorted(by_task, reverse=True):
        pair = by_task[task_id]
        if made >= STALE or latest not in pair or previous not in pair:
            continue
        ProgressReport.objects.filter(pk=pair[latest].pk).update(progress=pair[previous].progress)
        made += 1
    return made
