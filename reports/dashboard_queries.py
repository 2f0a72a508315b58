"""The office dashboard's live reads (not derived data, so never kept), in SQL written once.

Besides its kept figures (reports.dashboard_figures) the dashboard reads the plans, the
period's drafts and returned reports (which move no kept figure), the last role changes and
(tasks.coordination_figures.open_counts) the open 需协调事项. The ORM compiles a query's SQL
again on every request; for these, that was most of the page's time left outside its
template: 0.37 ms of CPU for the plans and 0.53 for the role changes with their users,
against 0.05 and 0.1 here (benchmarks/request_costs.py, 2026-12-01). The SQL is
built once per database from the models' fields (the documented Model _meta API), run with
connection.cursor(), and the plans are made instances by Model.from_db, as the ORM does.
Their values are the ORM's on PostgreSQL and SQLite alike (dates, times and booleans come
typed from both drivers; a timestamp SQLite hands back naive is made aware, in UTC as stored).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connections, models, router
from django.utils import dateformat, timezone

from accounts.models import RoleChange
from tasks.models import Plan, ProgressReport, Task

ROLE_CHANGES_SHOWN = 5
# The states of a report that does not count yet (draft, returned): still owed.
OWED = tuple(s for s in ProgressReport.State.values if s not in ProgressReport.State.COUNTED)
_sql: dict[tuple[str, str], str] = {}


def _quote(using: str):
    return connections[using].ops.quote_name


def _plan_fields() -> list:
    """Plan's fields but its timestamps, which the dashboard never reads: left deferred (read
    through the ORM, aware, if anything asks), since SQLite's cursor hands them back naive."""
    return [f for f in Plan._meta.concrete_fields if not isinstance(f, models.DateTimeField)]


def _plans_sql(using: str) -> str:
    key = ("plans", using)
    if key not in _sql:
        q = _quote(using)
        columns = ", ".join(q(f.column) for f in _plan_fields())
        _sql[key] = (
            f"SELECT {columns} FROM {q(Plan._meta.db_table)} "
            f"ORDER BY {q('is_active')} DESC, {q('year')} DESC, {q('slug')} ASC"
        )
    return _sql[key]


def plans() -> list[Plan]:
    """Every plan, the active ones first, the latest year first (the dashboard's choice)."""
    using = router.db_for_read(Plan)
    with connections[using].cursor() as cursor:
        cursor.execute(_plans_sql(using))
        rows = cursor.fetchall()
    fields = [f.attname for f in _plan_fields()]
    return [Plan.from_db(using, fields, row) for row in rows]


def _owed_sql(using: str) -> str:
    key = ("owed", using)
    if key not in _sql:
        q = _quote(using)
        field = ProgressReport._meta.get_field
        column = {name: q(field(name).column) for name in ("task", "department", "state")}
        states = ", ".join(["%s"] * len(OWED))
        _sql[key] = (
            f"SELECT r.{column['task']}, r.{column['department']}, r.{column['state']} "
            f"FROM {q(ProgressReport._meta.db_table)} r INNER JOIN {q(Task._meta.db_table)} t "
            f"ON r.{column['task']} = t.{q(Task._meta.pk.column)} "
            f"WHERE t.{q(Task._meta.get_field('plan').column)} = %s "
            f"AND r.{q(field('period_key').column)} = %s AND r.{column['state']} IN ({states})"
        )
    return _sql[key]


def owed_reports(plan: Plan, period) -> list[tuple[int, int, str]]:
    """The period's reports of the plan that do not count yet (drafts, returned ones): task
    id, department id, state. Read per request: saving a draft moves no kept figure."""
    using = router.db_for_read(ProgressReport)
    with connections[using].cursor() as cursor:
        cursor.execute(_owed_sql(using), [plan.pk, period.key, *OWED])
        return cursor.fetchall()


def _role_changes_sql(using: str) -> str:
    key = ("role_changes", using)
    if key not in _sql:
        q = _quote(using)
        user = get_user_model()
        field = RoleChange._meta.get_field
        columns = [f"c.{q(field(name).column)}" for name in ("what", "old_value", "new_value")]
        columns += [f"u.{q(user._meta.get_field(name).column)}" for name in _USER_FIELDS]
        changed_at, pk = q(field("changed_at").column), q(RoleChange._meta.pk.column)
        _sql[key] = (
            f"SELECT c.{changed_at}, {', '.join(columns)} "
            f"FROM {q(RoleChange._meta.db_table)} c INNER JOIN {q(user._meta.db_table)} u "
            f"ON c.{q(field('user').column)} = u.{q(user._meta.pk.column)} "
            f"ORDER BY c.{changed_at} DESC, c.{pk} DESC LIMIT {ROLE_CHANGES_SHOWN}"
        )
    return _sql[key]


_USER_FIELDS = ("username", "first_name", "last_name")


def role_changes() -> list[str]:
    """The last role changes, newest first (RoleChange's ordering), each in words as the
    dashboard prints it: who (the full name, else the username), what, from → to, when
    ("张三 单位负责人 否→是（05-18 09:30）", local time)."""
    using = router.db_for_read(RoleChange)
    with connections[using].cursor() as cursor:
        cursor.execute(_role_changes_sql(using))
        rows = cursor.fetchall()
    found = []
    user = get_user_model()
    for changed_at, what, old_value, new_value, *names in rows:
        if timezone.is_naive(changed_at):  # SQLite hands back the stored UTC time, naive
            changed_at = timezone.make_aware(changed_at, datetime.UTC)
        person = user(**dict(zip(_USER_FIELDS, names, strict=True)))
        who = person.get_full_name() or person.get_username()
        when = dateformat.format(timezone.localtime(changed_at), "m-d H:i")
        found.append(f"{who} {what} {old_value or '—'}→{new_value or '—'}（{when}）")
    return found
