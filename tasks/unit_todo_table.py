"""我的任务's table: the unit's tasks of the period (tasks.unit_figures rows), each with its role,
light, this period's report and the action.

The rows are plain dicts (tasks.unit_figures.unit_tasks plus the request's report and rank), so
django-tables2 holds a list (sorted by TableData's documented hook below) and the body is
rendered a row at a time by `cells()` through templates/tasks/_unit_todo_table.html's tbody
block ({% unit_todo_rows %}), not a cell at a time through BoundRow.get_cell: the same markup
(tests/test_unit_todo_table.py renders both). Still worth it (CPU ms, 26 rows of fgj's list,
in-process, 2026-12-01): the table through this 1.36, through common/table.html (get_cell per
cell and common/templatetags/table_rows.py) with the same cells 4.97, through django-tables2's
own table.html 10.0.
"""

from html import escape  # what django.utils.html.escape returns, without its lazy check

import django_tables2 as tables
from django.urls import get_script_prefix
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from common.tables import BaseTable

from .models import ProgressReport, TaskUnit

STATE_LABELS = dict(ProgressReport.State.choices)
ROLE_LABELS = dict(TaskUnit.Role.choices)
OPTIONAL = "配合（可选）"
OPTIONAL_HTML = (
    '<span class="role role-optional" title="通过单位群组配合，可按需报送">配合（可选）</span>'
)


class _Rows(TableListData):
    """The rows sorted on the columns' order_by keys (one stable sort per key, last first)."""

    def order_by(self, aliases):
        keys = []
        for alias in aliases:
            bound = self.table.columns[OrderBy(alias).bare]
            flip = alias[0] != bound.order_by_alias[0]
            keys += bound.order_by.opposite if flip else bound.order_by
        for key in reversed(keys):
            self.data.sort(key=lambda row, name=key.bare: row[name], reverse=key.is_descending)


class UnitTodoTable(BaseTable):
    # The action comes right after the number: on a phone it must not need a sideways scroll.
    number = tables.Column("编号", order_by=("sort_order",), attrs={"td": {"class": "num"}})
    action = tables.Column("操作", empty_values=(), orderable=False, exclude_from_export=True)
    text = tables.Column("工作任务", order_by=("sort_order",), orderable=False)
    unit_role = tables.Column("本单位角色", empty_values=(), orderable=False)
    light = tables.Column("状态", empty_values=(), orderable=False)
    # Ordered by what the report needs (todo.ROW_RANK of the report), then plan order.
    report_state = tables.Column("本期填报", empty_values=(), order_by=("need", "sort_order"))
    due = tables.Column("截止时间", empty_values=(), orderable=False)
    lead_units = tables.Column("牵头单位", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        template_name = "tasks/_unit_todo_table.html"
        attrs = {"class": "table cards"}  # a card per row on a phone (app.css)
        order_by = ("number",)

    def __init__(self, rows, *, period, due, can_write, **kwargs):
        self.period, self.due_at, self.can_write = period, due, can_write
        self.script_prefix = get_script_prefix()  # not `prefix`: the table's own
        self.due_text = f"{due:%m月%d日 %H:%M}"
        super().__init__(_Rows(rows), **kwargs)

    def _state_label(self, record) -> str:
        if record["closed_on"] is not None and not record["owed"]:
            return "已办结，无需报送"
        if report := record["report"]:
            return STATE_LABELS[report.state]
        return "未填" if record["owed"] else "可选"

    def _optional(self, record) -> bool:
        return not record["owed"] and record["closed_on"] is None

    def cells(self, record) -> dict[str, str]:
        """The HTML of each cell of a row, escaped (the body: {% unit_todo_rows %})."""
        report = record["report"]
        writable = (
            self.can_write
            and record["closed_on"] is None
            and (report is None or report.state in ProgressReport.State.EDITABLE)
        )
        if self._optional(record):
            role = OPTIONAL_HTML
        elif record["role"] is None:  # not a task of the unit's (the unit's lists show none)
            role = "—"
        else:
            role = f'<span class="role role-{record["role"]}">{ROLE_LABELS[record["role"]]}</span>'
        light = record["light"]
        late = "（逾期）" if report and report.is_late else ""
        return {
            "number": escape(record["number"]),
            "action": f'<a class="button" href="{escape(self.script_prefix + record["report_url"])}'
            f'?period={escape(self.period.key)}">{"填报" if writable else "查看"}</a>',
            "text": f'<a href="{escape(self.script_prefix + record["url"])}">'
            f"{escape(record['short_text'])}</a>",
            "unit_role": role,
            "light": '<span class="light light-{} status-{}" title="{}">{}</span>'.format(
                *map(escape, light)
            )
            if light
            else "—",
            "report_state": f'<span class="state state-{report.state if report else "none"}">'
            f"{escape(self._state_label(record))}{late}</span>",
            "due": self.due_text,
            "lead_units": escape("、".join(record["lead_units"]) or "—"),
        }

    # Plain text for the export (common.export: table.as_values()).
    def value_number(self, record):
        return record["number"]

    def value_text(self, record):
        return record["text"]

    def value_unit_role(self, record):
        if self._optional(record):
            return OPTIONAL
        return "" if record["role"] is None else ROLE_LABELS[record["role"]]

    def value_light(self, record):
        return record["light"][3] if record["light"] else ""

    def value_report_state(self, record):
        return self._state_label(record)

    def value_due(self, record):
        return f"{self.due_at:%Y-%m-%d %H:%M}"

    def value_lead_units(self, record):
        return "、".join(record["lead_units"])
