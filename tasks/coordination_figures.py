"""Figures of 需协调事项 for other parts: overdue items per unit (unit scores) and the
dashboard's open and overdue counts. Read-only; the rules are in tasks.coordination."""

import datetime

from django.db import connections, router
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


_sql: dict[str, str] = {}


def _open_counts_sql(using: str) -> str:
    if using not in _sql:
        q = connections[using].ops.quote_name
        field, task = Item._meta.get_field, Item._meta.get_field("task").related_model
        due, state = q(field("due").column), q(field("state").column)
        states = ", ".join(["%s"] * len(State.ACTIVE))
        _sql[using] = (
            f"SELECT COUNT(*), COUNT(CASE WHEN i.{due} < %s THEN 1 END) "
            f"FROM {q(Item._meta.db_table)} i INNER JOIN {q(task._meta.db_table)} t "
            f"ON i.{q(field('task').column)} = t.{q(task._meta.pk.column)} "
            f"WHERE t.{q(task._meta.get_field('plan').column)} = %s AND i.{state} IN ({states})"
        )
    return _sql[using]


def open_counts(plan, today: datetime.date) -> dict:
    """The plan's items not closed, and how many of them are overdue (one query). The SQL is
    written once per database from the model's fields (the Model _meta API): the ORM's
    aggregate (COUNT … FILTER) compiled again on every dashboard cost 0.63 ms of CPU, this
    0.11 (benchmarks/request_costs.py, 2026-12-01)."""
    using = router.db_for_read(Item)
    connection = connections[using]
    day = connection.ops.adapt_datefield_value(today)  # as the ORM passes a date
    with connection.cursor() as cursor:
        cursor.execute(_open_counts_sql(using), [day, plan.pk, *sorted(State.ACTIVE)])
        total, overdue = cursor.fetchone()
    return {"open": total, "overdue": overdue}
