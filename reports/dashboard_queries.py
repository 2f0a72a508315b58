"""The office dashboard's reads besides its kept figures (reports.dashboard_figures).

The plan picker's plans are kept (plans: they change with the plans only). The reads of now,
not derived data and so never kept, come in one statement in SQL written once (live): the
period's drafts and returned reports (which move no kept figure), the open 需协调事项, the
login failures that still count (accounts.throttle) and the last role changes. The ORM
compiles a query's SQL again on every request; for these, that was most of the page's time
left outside its template: 0.53 ms of CPU for the role changes with their users, against 0.1
here (benchmarks/request_costs.py, 2026-12-01). The SQL is built once per database from the
models' fields (the documented Model _meta API) and run with connection.cursor(). Its values
are the ORM's on PostgreSQL and SQLite alike (dates, times and booleans come typed from both
drivers; a timestamp SQLite hands back naive is made aware, in UTC as stored).
"""

import datetime
from types import SimpleNamespace
from typing import NamedTuple

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone

from accounts.models import RoleChange
from accounts.throttle import counting_since, locks_of
from leaders.models import CoordinationItem
from tasks import revision
from tasks.models import Plan, ProgressReport, Task

ROLE_CHANGES_SHOWN = 5
# The states of a report that does not count yet (draft, returned): still owed.
OWED = tuple(s for s in ProgressReport.State.values if s not in ProgressReport.State.COUNTED)
_sql: dict[tuple[str, str], str] = {}


def _quote(using: str):
    return connections[using].ops.quote_name


def plans() -> list[dict]:
    """The plan picker's plans (pk, slug, year, title): every plan, the active ones first, the
    latest year first (the dashboard's choice), kept (tasks.revision: a new, changed or deleted
    plan moves the counters; no report does: revision.NO_REPORTS). A province's 160 county
    plans read and made instances on every dashboard cost 1.5-2 ms (benchmarks/
    province_pages.py, 2026-12-02); the page's own plan is kept apart (kept_plan_or_404)."""
    return revision.memo("dashboard-plans", (), _plans, settled=revision.NO_REPORTS)


def _plans() -> list[dict]:
    ordered = Plan.objects.order_by("-is_active", "-year", "slug")
    return list(ordered.values("pk", "slug", "year", "title"))


class Live(NamedTuple):
    owed: list[tuple[int, int, str]]  # the period's reports not counted: task, unit, state
    coordination: dict[str, int]  # the plan's open 需协调事项 and how many are overdue
    locks: list[dict]  # the logins locked now (accounts.throttle.locks_of)
    role_changes: list[str]  # the last ones, in words (role_change_text)


# Each part's rows come tagged with its number, its values in columns of their own kind (the
# others NULL): numbers, texts, an address, a time. PostgreSQL types a UNION's columns pair by
# pair from the left, so the first part (the locks: the one with an address) names the type of
# every NULL it has; the later parts' NULLs take the types it set.
LOCKS, OWED_PART, COORDINATION, ROLE_CHANGES = range(4)
_COLUMNS = ("n1", "n2", "s1", "s2", "s3", "s4", "s5", "s6", "ip", "at")
_NULL_AS = {"n": "BIGINT", "s": "TEXT"}


def _part(number: int, columns: dict[str, str], rest: str, first: bool = False) -> str:
    values = [
        columns.get(name) or (f"CAST(NULL AS {_NULL_AS[name[0]]})" if first else "NULL")
        for name in _COLUMNS
    ]
    return f"SELECT {number}, {', '.join(values)} {rest}"


def _live_sql(using: str) -> str:
    """Four reads, one round trip: as four queries (the locks through the ORM) they took
    0.9 ms of CPU and 1.4-1.6 ms of wall time, this one 0.28 and 0.8 (medians of 200,
    interleaved, demo data, 2026-12-01)."""
    key = ("live", using)
    if key not in _sql:
        q = _quote(using)

        def col(model, name):
            return q(model._meta.get_field(name).column)

        def table(model):
            return q(model._meta.db_table)

        user = get_user_model()
        report, item, change = ProgressReport, CoordinationItem, RoleChange

        def of_the_plan(alias: str, model) -> str:  # rows of the plan's tasks
            return (
                f"FROM {table(model)} {alias} INNER JOIN {table(Task)} t "
                f"ON {alias}.{col(model, 'task')} = t.{q(Task._meta.pk.column)} "
                f"WHERE t.{col(Task, 'plan')} = %s"
            )

        locks = _part(
            LOCKS,
            {
                "n1": f"a.{col(AccessAttempt, 'failures_since_start')}",
                "s1": f"a.{col(AccessAttempt, 'username')}",
                "ip": f"a.{col(AccessAttempt, 'ip_address')}",
                "at": f"a.{col(AccessAttempt, 'attempt_time')}",
            },
            f"FROM {table(AccessAttempt)} a WHERE a.{col(AccessAttempt, 'attempt_time')} >= %s",
            first=True,
        )
        owed = _part(
            OWED_PART,
            {
                "n1": f"r.{col(report, 'task')}",
                "n2": f"r.{col(report, 'department')}",
                "s1": f"r.{col(report, 'state')}",
            },
            f"{of_the_plan('r', report)} AND r.{col(report, 'period_key')} = %s "
            f"AND r.{col(report, 'state')} IN ({', '.join(['%s'] * len(OWED))})",
        )
        due = f"i.{col(item, 'due')}"
        coordination = _part(
            COORDINATION,
            {"n1": "COUNT(*)", "n2": f"COUNT(CASE WHEN {due} < %s THEN 1 END)"},
            f"{of_the_plan('i', item)} AND i.{col(item, 'state')} IN ({', '.join(['%s'] * len(_ACTIVE))})",
        )
        # Its own ORDER BY and LIMIT make the part a subquery (in both databases' grammar),
        # which gives the part no NULL: a NULL typed inside a subquery would be text.
        changed_at, pk = f"c.{col(change, 'changed_at')}", f"c.{q(change._meta.pk.column)}"
        fields = {
            "n1": pk,
            "s1": f"c.{col(change, 'what')}",
            "s2": f"c.{col(change, 'old_value')}",
            "s3": f"c.{col(change, 'new_value')}",
            **{f"s{i}": f"u.{col(user, name)}" for i, name in enumerate(_USER_FIELDS, 4)},
            "at": changed_at,
        }
        recent = (
            f"SELECT {', '.join(f'{value} AS {name}' for name, value in fields.items())} "
            f"FROM {table(change)} c INNER JOIN {table(user)} u "
            f"ON c.{col(change, 'user')} = u.{q(user._meta.pk.column)} "
            f"ORDER BY {changed_at} DESC, {pk} DESC LIMIT {ROLE_CHANGES_SHOWN}"
        )
        changes = _part(
            ROLE_CHANGES, {name: f"recent.{name}" for name in fields}, f"FROM ({recent}) recent"
        )
        _sql[key] = " UNION ALL ".join([locks, owed, coordination, changes])
    return _sql[key]


_USER_FIELDS = ("username", "first_name", "last_name")
_ACTIVE = sorted(CoordinationItem.State.ACTIVE)  # not closed: counts as open


def live(plan: Plan, period, today: datetime.date, now: datetime.datetime) -> Live:
    """The dashboard's reads of now, in one statement (see Live)."""
    using = router.db_for_read(ProgressReport)
    connection = connections[using]
    ops = connection.ops
    params = [
        ops.adapt_datetimefield_value(counting_since(now)),  # the failures that still count
        plan.pk,
        period.key,
        *OWED,
        ops.adapt_datefield_value(today),  # overdue: due before today, as the ORM passes it
        plan.pk,
        *_ACTIVE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_live_sql(using), params)
        rows = cursor.fetchall()
    owed, coordination, failures, changes = [], {"open": 0, "overdue": 0}, [], []
    for part, n1, n2, s1, s2, s3, s4, s5, s6, ip, at in rows:
        if part == LOCKS:
            failures.append((s1, ip, n1, _aware(at)))
        elif part == OWED_PART:
            owed.append((n1, n2, s1))
        elif part == COORDINATION:
            coordination = {"open": n1, "overdue": n2}
        else:  # a UNION keeps no order: newest first (RoleChange's ordering) again here
            changes.append((_aware(at), n1, s1, s2, s3, (s4, s5, s6)))
    changes.sort(key=lambda c: c[:2], reverse=True)
    return Live(
        owed=owed,
        coordination=coordination,
        locks=locks_of(failures),
        role_changes=[role_change_text(*c[:1], *c[2:]) for c in changes],
    )


def _aware(at: datetime.datetime) -> datetime.datetime:
    """SQLite hands back the stored UTC time, naive."""
    return timezone.make_aware(at, datetime.UTC) if timezone.is_naive(at) else at


def role_change_text(changed_at, what, old_value, new_value, names) -> str:
    """A role change as the dashboard prints it: who (the full name, else the username), what,
    from → to, when ("张三 单位负责人 否→是（05-18 09:30）", local time)."""
    # The user model's own get_full_name, on the three columns read: a model instance per
    # row (Model.__init__ over all its fields) was half of live()'s CPU time (0.36 -> 0.28 ms,
    # medians of 200, 2026-12-01).
    person = SimpleNamespace(**dict(zip(_USER_FIELDS, names, strict=True)))
    who = get_user_model().get_full_name(person) or person.username
    when = timezone.localtime(changed_at)
    return f"{who} {what} {old_value or '—'}→{new_value or '—'}（{when:%m-%d %H:%M}）"
