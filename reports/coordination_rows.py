"""The rows of the workbook's 需协调事项 and 进展停滞 sheets, read when a period is frozen
(reports.rollup.freeze keeps them in the snapshot; reports.workbook_coordination writes them)."""

import datetime

from django.utils import timezone

from leaders.models import CoordinationItem
from tasks.stale import period_stale


def frozen(plan, period, as_of: datetime.date) -> dict:
    """The plain rows the two sheets show, as of the roll-up (kept in the snapshot)."""
    items = (
        CoordinationItem.objects.filter(
            task__plan=plan,
            state__in=CoordinationItem.State.ACTIVE,
            created_at__date__lte=as_of,  # raised by the roll-up's date
        )
        .select_related("task", "department")
        .prefetch_related("leaders", "units")
        .order_by("due", "pk")
    )
    rows = []
    for item in items:
        actors = item.leaders.all() if item.kind == item.Kind.LEADER else item.units.all()
        overdue = item.due < as_of
        rows.append(
            {
                "number": item.task.number,
                "unit": item.department.name,
                "kind": item.get_kind_display(),
                "text": item.text,
                "actors": "、".join(a.name for a in actors),
                "created": timezone.localdate(item.created_at).isoformat(),
                "age": max(0, (as_of - timezone.localdate(item.created_at)).days),
                "due": item.due.isoformat(),
                "state": item.get_state_display() + ("（已超期）" if overdue else ""),
            }
        )
    stale = [
        {
            "number": report.task.number,
            "unit": report.department.name,
            "progress": report.progress,
            "verdict": verdict.text,
        }
        for report, verdict in period_stale(plan, period)
    ]
    return {"items": rows, "stale": stale}
