"""The task page's reports (tasks.history.timeline_for) in SQL written once per database.

The ORM compiled the four queries of the timeline again on every request, a window and a
CASE among them: 4.35 ms of CPU for task 114 (19 reports) against 0.61 here, 0.46 of which
is running them (benchmarks/request_costs.py, 2026-12-01). The SQL is built once per
database from the models' fields (the documented Model _meta API) and run with
connection.cursor(), as reports/dashboard_queries.py does; the files and indicator values
are one query. Which reports a person reads is tasks.access's rule (readable_reports: the
states everyone who reads the task reads, and the person's own unit); the caller has made
sure he or she may read the task. Values are the ORM's on PostgreSQL and SQLite alike:
SQLite's driver hands back decimals as numbers, made Decimals here as the ORM does, and a
date or boolean read through a subquery as text or an integer.
"""

import datetime
import decimal

from django.db import connections, router

from departments.models import Department

from .models import Attachment, Indicator, IndicatorValue, ProgressReport, TaskUnit

# The columns of a report row, in tasks.history.ReportRow's order (the unit's name 5th).
_REPORT_COLUMNS = (
    "id",
    "period_key",
    "period_start",
    "department",
    None,  # the department's name
    "role",
    "state",
    "is_late",
    "progress",
    "problems",
    "next_steps",
    "percent",
)
_sql: dict[tuple, str] = {}


def _names(using: str):
    """Quoted table and column names: t(model), c(model, field)."""
    quote = connections[using].ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    return (lambda model: quote(model._meta.db_table)), column


def _readable(c, alias: str, states: int, own_unit: bool) -> str:
    """The readable reports of the task up to the as-of date (params: task, date, states…,
    unit)."""
    report = ProgressReport
    states_sql = ", ".join(["%s"] * states)
    readable = f"{alias}.{c(report, 'state')} IN ({states_sql})"
    if own_unit:
        readable = f"({readable} OR {alias}.{c(report, 'department')} = %s)"
    return (
        f"{alias}.{c(report, 'task')} = %s AND {alias}.{c(report, 'period_start')} <= %s "
        f"AND {readable}"
    )


def _select(c, alias: str) -> str:
    return ", ".join(
        f"d.{c(Department, 'name')}" if name is None else f"{alias}.{c(ProgressReport, name)}"
        for name in _REPORT_COLUMNS
    )


def _lead_first(c, alias: str) -> str:
    return f"CASE WHEN {alias}.{c(ProgressReport, 'role')} = %s THEN 0 ELSE 1 END"


def _latest_sql(using: str, states: int, own_unit: bool) -> str:
    """Each unit's latest readable report, lead units first, then in the units' order; each
    row ends with the number of readable reports."""
    key = ("latest", using, states, own_unit)
    if key not in _sql:
        t, c = _names(using)
        r, department = ProgressReport, c(ProgressReport, "department")
        inner = ", ".join(f"r.{c(r, name)}" for name in _REPORT_COLUMNS if name is not None)
        _sql[key] = (
            f"SELECT {_select(c, 'r')}, r.readable FROM (SELECT {inner}, ROW_NUMBER() OVER "
            f"(PARTITION BY r.{department} ORDER BY r.{c(r, 'period_start')} DESC) AS newest, "
            f"COUNT(*) OVER () AS readable FROM {t(r)} r "
            f"WHERE {_readable(c, 'r', states, own_unit)}) r "
            f"INNER JOIN {t(Department)} d ON r.{department} = d.{c(Department, 'id')} "
            f"WHERE r.newest = 1 ORDER BY {_lead_first(c, 'r')}, "
            f"d.{c(Department, 'sort_order')}, r.{department}"
        )
    return _sql[key]


def _older_sql(using: str, states: int, own_unit: bool, latest: int) -> str:
    """The other readable reports, newest first, a page of them (params: …, limit, offset)."""
    key = ("older", using, states, own_unit, latest)
    if key not in _sql:
        t, c = _names(using)
        r = ProgressReport
        _sql[key] = (
            f"SELECT {_select(c, 'r')} FROM {t(r)} r INNER JOIN {t(Department)} d "
            f"ON r.{c(r, 'department')} = d.{c(Department, 'id')} "
            f"WHERE {_readable(c, 'r', states, own_unit)} "
            f"AND r.{c(r, 'id')} NOT IN ({', '.join(['%s'] * latest)}) "
            f"ORDER BY r.{c(r, 'period_start')} DESC, {_lead_first(c, 'r')}, "
            f"d.{c(Department, 'sort_order')}, r.{c(r, 'id')} LIMIT %s OFFSET %s"
        )
    return _sql[key]


def _items_sql(using: str, reports: int) -> str:
    """The reports' evidence files (0, report, id, name, None, None) in their order, then
    their indicator values (1, report, id, indicator, actual, unit) in theirs."""
    key = ("items", using, reports)
    if key not in _sql:
        t, c = _names(using)
        a, v, i = Attachment, IndicatorValue, Indicator
        ids = ", ".join(["%s"] * reports)
        _sql[key] = (
            f"SELECT 0, a.{c(a, 'report')}, a.{c(a, 'id')}, a.{c(a, 'original_name')}, "
            f"NULL, NULL, a.{c(a, 'uploaded_at')} FROM {t(a)} a "
            f"WHERE a.{c(a, 'report')} IN ({ids}) UNION ALL "
            f"SELECT 1, v.{c(v, 'report')}, v.{c(v, 'id')}, i.{c(i, 'name')}, "
            f"v.{c(v, 'actual')}, i.{c(i, 'unit')}, NULL FROM {t(v)} v INNER JOIN {t(i)} i "
            f"ON v.{c(v, 'indicator')} = i.{c(i, 'id')} WHERE v.{c(v, 'report')} IN ({ids}) "
            f"ORDER BY 1, 7, 3"
        )
    return _sql[key]


class Reports:
    """One task's reports that one person reads, up to a date, as rows of plain values in
    _REPORT_COLUMNS' order."""

    def __init__(self, task_id: int, as_of: datetime.date, readable):
        self.states, self.own_unit = readable  # tasks.access.readable_reports
        self.params = [task_id, as_of, *sorted(self.states)]
        if self.own_unit is not None:
            self.params.append(self.own_unit)
        self.using = router.db_for_read(ProgressReport)

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if connections[self.using].vendor == "postgresql":
            return rows  # typed by the driver as the ORM reads them
        return [_typed(row) for row in rows]

    def latest(self) -> tuple[list[tuple], int]:
        """Each unit's latest report, and the number of all of them."""
        own = self.own_unit is not None
        rows = self._rows(
            _latest_sql(self.using, len(self.states), own), [*self.params, TaskUnit.Role.LEAD]
        )
        return [row[:-1] for row in rows], rows[0][-1] if rows else 0

    def older(self, latest_ids: list[int], offset: int, limit: int) -> list[tuple]:
        """A page of the others, newest first."""
        own = self.own_unit is not None
        sql = _older_sql(self.using, len(self.states), own, len(latest_ids))
        return self._rows(sql, [*self.params, *latest_ids, TaskUnit.Role.LEAD, limit, offset])


def items(ids: list[int]) -> tuple[dict, dict]:
    """The evidence files {report: [(pk, name)]} and indicator values {report: [(indicator,
    actual, unit)]} of these reports (one query)."""
    files, values = {}, {}
    if not ids:
        return files, values
    using = router.db_for_read(Attachment)
    with connections[using].cursor() as cursor:
        cursor.execute(_items_sql(using, len(ids)), [*ids, *ids])
        rows = cursor.fetchall()
    for kind, report_id, pk, name, actual, unit, _ in rows:
        if kind == 0:
            files.setdefault(report_id, []).append((pk, name))
        else:
            values.setdefault(report_id, []).append((name, _decimal(actual, _ACTUAL), unit))
    return files, values


_ACTUAL = IndicatorValue._meta.get_field("actual")
_PERCENT = ProgressReport._meta.get_field("percent")
_START, _LATE, _PERCENT_AT = (
    _REPORT_COLUMNS.index(n) for n in ("period_start", "is_late", "percent")
)


def _decimal(value, field):
    """A decimal as the ORM reads it: PostgreSQL's driver hands back a Decimal, SQLite's a
    number, quantized to the field's places (as Django's SQLite backend does)."""
    if value is None or isinstance(value, decimal.Decimal):
        return value
    places = decimal.Decimal(1).scaleb(-field.decimal_places)
    exact = decimal.Context(prec=15).create_decimal_from_float(value)
    return exact.quantize(places, context=field.context)


def _typed(row: tuple) -> tuple:
    row = list(row)
    if not isinstance(row[_START], datetime.date):
        row[_START] = datetime.date.fromisoformat(row[_START])
    row[_LATE] = bool(row[_LATE])
    row[_PERCENT_AT] = _decimal(row[_PERCENT_AT], _PERCENT)
    return tuple(row)
