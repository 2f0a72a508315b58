import django_tables2 as tables
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html

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
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.short_text)

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


class UnitTodoTable(UnitTaskTable):
    """我的任务: every task the unit reports on this period, its light and this period's report."""

    light = tables.Column("状态", empty_values=(), orderable=False)
    # Ordered by what the report needs (the `need` rank my_tasks annotates), then plan order.
    report_state = tables.Column("本期填报", empty_values=(), order_by=("need", "sort_order"))
    due = tables.Column("截止时间", empty_values=(), orderable=False)
    action = tables.Column("操作", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(UnitTaskTable.Meta):
        # The action comes right after the number: on a phone it must not need a sideways scroll.
        sequence = ("number", "action", "text", "unit_role", "light", "report_state", "due")
        exclude = ("section", "lead_leaders", "cooperating_units")

    def __init__(self, *args, states, reports, period, due, can_write, owed, **kwargs):
        self.states, self.reports, self.period, self.owed = states, reports, period, owed
        self.due_at, self.can_write = due, can_write
        super().__init__(*args, **kwargs)

    def _state_label(self, record) -> str:
        if record.closed_on is not None and record.pk not in self.owed:
            return "已办结，无需报送"
        report = self.reports.get(record.pk)
        if report:
            return report.get_state_display()
        return "未填" if record.pk in self.owed else "可选"

    def render_unit_role(self, record):
        if record.pk not in self.owed and record.closed_on is None:
            return format_html(
                '<span class="role role-optional" title="{}">配合（可选）</span>',
                "通过单位群组配合，可按需报送",
            )
        return super().render_unit_role(record)

    def value_unit_role(self, record):
        if record.pk in self.owed or record.closed_on is not None:
            return super().value_unit_role(record)
        return "配合（可选）"

    def render_light(self, record):
        state = self.states.get(record.pk)
        return light_html(state.status, state.closed_on) if state else "—"

    def value_light(self, record):
        state = self.states.get(record.pk)
        return state.label if state else ""

    def render_report_state(self, record):
        report = self.reports.get(record.pk)
        label = self._state_label(record)
        css = report.state if report else "none"
        late = "（逾期）" if report and report.is_late else ""
        return format_html('<span class="state state-{}">{}{}</span>', css, label, late)

    def value_report_state(self, record):
        return self._state_label(record)

    def render_due(self, record):
        return f"{self.due_at:%m月%d日 %H:%M}"

    def value_due(self, record):
        return f"{self.due_at:%Y-%m-%d %H:%M}"

    def render_action(self, record):
        url = reverse("tasks:report", args=[record.plan.slug, record.number])
        report = self.reports.get(record.pk)
        writable = (
            self.can_write and record.closed_on is None and (report is None or report.is_editable)
        )
        label = "填报" if writable else "查看"
        return format_html(
            '<a class="button" href="{}?period={}">{}</a>', url, self.period.key, label
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
