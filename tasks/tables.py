import django_tables2 as tables
from django.db.models import Prefetch
from django.utils.html import format_html

from common.tables import BaseTable, JoinedColumn

from .models import Task, TaskLeader, TaskUnit

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

    def _role(self, record) -> str:
        roles = {
            link.role
            for link in record.unit_links.all()
            if link.department_id == self.unit.pk or link.group_id in self.group_ids
        }
        return TaskUnit.Role.LEAD if TaskUnit.Role.LEAD in roles else TaskUnit.Role.COOPERATING

    def render_unit_role(self, record):
        role = self._role(record)
        return format_html('<span class="role role-{}">{}</span>', role, TaskUnit.Role(role).label)

    def value_unit_role(self, record):
        return TaskUnit.Role(self._role(record)).label
