from django.db import connections, router
from django.utils.functional import SimpleLazyObject

from accounts.roles import approving_unit
from departments.models import UnitGroup

from .models import ProgressReport, Task, TaskUnit

_SQL = {}


def _count_sql(using: str) -> str:
    """head_queue(user).count() for a head's unit as one statement written once per process from
    the models: the ORM built and compiled head_queue's filters (reports_visible_to and
    tasks_visible_to, an IN over an EXISTS) again on every page a head opens, and PostgreSQL
    planned the nested subqueries for 1 ms: the count cost 1.6 ms of CPU and 2.6 ms in all
    against 0.16 and 0.8 here (fgj-head, 2026-12-01; benchmarks/request_costs.py --user
    fgj-head on a page of base.html alone: 3.3 -> 2.0 ms CPU, with {% fixed_url %}).

    The conditions are head_queue's, read for the unit's own reports: waiting (APPROVABLE), the
    task not closed, and readable by the unit (reports_visible_to: handed in or the unit's own,
    which its own always are; of a task involving the unit, directly or through a group,
    tasks.access.involving_unit). tests/test_page_frame.py holds it to head_queue's count.
    """
    if using not in _SQL:
        quote = connections[using].ops.quote_name

        def table(model):
            return quote(model._meta.db_table)

        def column(model, name):
            return quote(model._meta.get_field(name).column)

        members = UnitGroup.members.through
        report_task, unit = column(ProgressReport, "task"), column(ProgressReport, "department")
        states = ", ".join(["%s"] * len(ProgressReport.State.APPROVABLE))
        _SQL[using] = (
            f"SELECT COUNT(*) FROM {table(ProgressReport)} r "
            f"INNER JOIN {table(Task)} t ON t.{column(Task, 'id')} = r.{report_task} "
            f"WHERE r.{unit} = %s AND r.{column(ProgressReport, 'state')} IN ({states}) "
            f"AND t.{column(Task, 'closed_on')} IS NULL "
            f"AND EXISTS (SELECT 1 FROM {table(TaskUnit)} l "
            f"WHERE l.{column(TaskUnit, 'task')} = r.{report_task} "
            f"AND (l.{column(TaskUnit, 'department')} = %s "
            f"OR l.{column(TaskUnit, 'group')} IN (SELECT m.{column(members, 'unitgroup')} "
            f"FROM {table(members)} m WHERE m.{column(members, 'department')} = %s)))"
        )
    return _SQL[using]


def pending_count(user) -> int:
    """The menu's 待审核 figure: the reports of a unit head's unit waiting for 审核
    (tasks.head_review.head_queue); 0 without a query for everybody else."""
    unit = approving_unit(user)
    if unit is None:
        return 0
    using = router.db_for_read(ProgressReport)
    with connections[using].cursor() as cursor:
        unit_id, states = unit.pk, sorted(ProgressReport.State.APPROVABLE)
        cursor.execute(_count_sql(using), [unit_id, *states, unit_id, unit_id])
        return cursor.fetchone()[0]


def review(request):
    """`review_count` in every template: a unit head's reports waiting for 审核 (one count,
    only for heads, and only if the menu uses it)."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return pending_count(user)

    return {"review_count": SimpleLazyObject(count)}
