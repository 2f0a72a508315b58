from html import escape

import django_tables2 as tables
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common.tables import BaseTable, DateTimeTextColumn, JoinedColumn

from .models import ProgressReport, Task, TaskLeader, TaskUnit
from .periods import period_label
from .stale import StaleColumn
from .status import status_label
from .unit_role import unit_role

LEADERS = Prefetch(
    "leader_links", queryset=TaskLeader.objects.select_related("leader").order_by("position")
)
UNITS = Prefetch(
    "unit_links",
    queryset=TaskUnit.objects.select_related("department", "group").order_by("position"),
)


def _units(record, role):
    return [u.name for u in record.unit_links.all() if u.role == role]


class TaskTable(BaseTable):
    number = tables.Column("编号", order_by=("sort_order",), attrs={"td": {"class": "num"}})
    text = tables.Column("工作任务", order_by=("sort_order",), orderable=False)
    section = tables.Column("所属部分", order_by=("section__order", "sort_order"))
    lead_leaders = JoinedColumn(
        "牵头领导",
        names=lambda r: [link.leader.name for link in r.leader_links.all()],
        prefetch=[LEADERS],
    )
    lead_units = JoinedColumn(
        "牵头单位", names=lambda r: _units(r, TaskUnit.Role.LEAD), prefetch=[UNITS]
    )
    cooperating_units = JoinedColumn(
        "配合单位", names=lambda r: _units(r, TaskUnit.Role.COOPERATING), prefetch=[UNITS]
    )

    class Meta(BaseTable.Meta):
        attrs = {"class": "table cards"}  # a card per row on a phone (app.css)
        model = Task
        fields = ["number", "text", "section", "lead_leaders", "lead_units", "cooperating_units"]
        order_by = ("number",)

    def render_text(self, record):
        # format_html's markup, escaped with html.escape as conditional_escape escapes a str
        # (the path and the text are never safe strings): 50 rows 0.20 -> 0.06 ms CPU (a loop,
        # 2026-12-01).
        url, text = record.get_absolute_url(), record.short_text
        return mark_safe(f'<a href="{escape(url)}">{escape(text)}</a>')

    def value_text(self, record):
        return record.text

    def render_section(self, record):
        return f"{record.section.number}、{record.section.title}"

    def value_section(self, record):
        return self.render_section(record)


class UnitTaskTable(TaskTable):
    """TaskTable plus the viewing unit's role in each task (牵头 wins over 配合)."""

    unit_role = tables.Column("本单位角色", empty_values=(), orderable=False)
    unit_role.prefetch = (UNITS,)

    class Meta(TaskTable.Meta):
        sequence = ("number", "unit_role", "...")

    def __init__(self, *args, unit, group_ids, **kwargs):
        self.unit = unit
        self.group_ids = group_ids
        super().__init__(*args, **kwargs)

    def _role(self, record) -> str | None:
        return unit_role(record.unit_links.all(), self.unit.pk, self.group_ids)

    def render_unit_role(self, record):
        role = self._role(record)
        if role is None:  # not a task of the unit's (the unit's lists show none such)
            return "—"
        return format_html('<span class="role role-{}">{}</span>', role, TaskUnit.Role(role).label)

    def value_unit_role(self, record):
        role = self._role(record)
        return "" if role is None else TaskUnit.Role(role).label


def light_html(status, closed_on=None) -> str:
    """A status light with its words (colour alone is never the only signal); 已办结 with its
    date (tasks.status.status_label)."""
    return format_html(
        '<span class="light light-{} status-{}" title="{}">{}</span>',
        status.light,
        status.value,
        status.light_label,
        status_label(status, closed_on),
    )


class ReviewTable(BaseTable):
    # empty_values=(): never empty; their cells are render(record) (table_rows calls it).
    period_key = tables.Column("期次", order_by=("period_start",), empty_values=())
    task = tables.Column(
        "任务",
        accessor="task__number",
        order_by=("task__plan__year", "task__sort_order"),
        empty_values=(),
    )
    department = tables.Column(
        "单位",
        accessor="department__name",
        order_by=("department__sort_order",),
        empty_values=(),
    )
    role = tables.Column("角色", empty_values=())
    state = tables.Column("状态", empty_values=())
    submitted_at = DateTimeTextColumn(verbose_name="提交时间", format="m-d H:i")
    is_late = tables.BooleanColumn(verbose_name="逾期", yesno="是,否")
    stale = StaleColumn()  # 与上期基本相同 (tasks.stale)
    action = tables.Column("操作", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        attrs = {"class": "table cards"}
        model = ProgressReport
        fields = ["period_key", "task", "department", "role", "state", "submitted_at", "is_late"]
        order_by = ("period_key",)

    def render_period_key(self, record):
        return period_label(record.period_key)

    def value_period_key(self, record):
        return period_label(record.period_key)

    def render_department(self, record):
        return record.department.name

    def render_role(self, record):
        return record.get_role_display()

    def render_state(self, record):
        return record.get_state_display()

    def render_task(self, record):
        return format_html(
            '<a href="{}">{}年 {}</a> {}',
            record.task.get_absolute_url(),
            record.task.plan.year,
            record.task.number,
            record.task.short_text,
        )

    def value_task(self, record):
        return f"{record.task.plan.year}-{record.task.number}"

    def render_action(self, record):
        return format_html('<a class="button" href="{}">审阅</a>', record.get_absolute_url())
