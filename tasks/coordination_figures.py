"""Figures of 需协调事项 for other parts: overdue items per unit (unit scores; the dashboard's
open and overdue counts are one part of reports.dashboard_queries.live). Read-only; the rules
are in tasks.coordination."""

import datetime

from django.utils import timezone

from leaders.models import CoordinationItem

Item = CoordinationItem
State = CoordinationItem.State


def overdue_items_by_unit(plan, start: datetime.date, end: datetime.date) -> dict[int, int]:
    """department id -> items it must act on (named units) that were overdue at some point in
    [start, end]: due before `end` and not closed by their due date. Raising units and
    leaders are not counted (a unit is not blamed for asking)."""
    found: dict[int, int] = {}
    rows = Item.units.through.objects.filter(
        coordinationitem__task__plan=plan,
        coordinationitem__due__lt=end,
        coordinationitem__created_at__date__lte=end,
    ).values_list("department_id", "coordinationitem__due", "coordinationitem__closed_at")
    for department_id, due, closed_at in rows:
        closed_on = timezone.localtime(closed_at).date() if closed_at is not None else None
        if closed_on is not None and (closed_on <= due or closed_on < start):
            continue  # closed in time, or overdue only before the span
        found[department_id] = found.get(department_id, 0) + 1
    return found
