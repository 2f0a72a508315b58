"""The office's list of 需协调事项: filters (state, unit, kind, overdue, a search) and the table
(every column gives render() for the page and value() for the xlsx export)."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from common.filters import BaseFilterSet
from common.tables import BaseTable, DateTimeTextColumn, JoinedColumn
from common.widgets import FastSelect
from departments.models import Department
from tasks import clock

from .models import CoordinationItem

State = CoordinationItem.State


class CoordinationFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    state = django_filters.ChoiceFilter(
        label="状态", choices=[("active", "未办结"), *State.choices], method="by_state"
    )
    department = django_filters.ModelChoiceFilter(
        label="单位", queryset=Department.objects.all(), widget=FastSelect, method="by_unit"
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=CoordinationItem.Kind.choices)
    overdue = django_filters.ChoiceFilter(
        label="超期", choices=[("yes", "已超期"), ("no", "未超期")], method="by_overdue"
    )

    class Meta:
        model = CoordinationItem
        fields = ["q", "state", "department", "kind", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(task__number=value) | Q(text__icontains=value) | Q(task__text__icontains=value)
        )

    def by_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(state__in=State.ACTIVE)
        return queryset.filter(state=value)

    def by_unit(self, queryset, name, value):
        """Raised by the unit or naming it."""
        named = CoordinationItem.units.through.objects.filter(department=value).values(
            "coordinationitem_id"
        )
        return queryset.filter(Q(department=value) | Q(pk__in=named))

    def by_overdue(self, queryset, name, value):
        overdue = Q(state__in=State.ACTIVE, due__lt=clock.today())
        return queryset.filter(overdue if value == "yes" else ~overdue)


def _actors(item) -> list[str]:
    if item.kind == CoordinationItem.Kind.LEADER:
        return [leader.name for leader in item.leaders.all()]
    return [unit.name for unit in item.units.all()]


class CoordinationTable(BaseTable):
    task = tables.Column(
        "任务", accessor="task__number", order_by=("task__plan__year", "task__sort_order")
    )
    text = tables.Column("问题", orderable=False)
    department = tables.Column(
        "提出单位", accessor="department__name", order_by=("department__sort_order",)
    )
    kind = tables.Column("类型")
    actors = JoinedColumn(
        "协调领导/单位", names=_actors, prefetch=("leaders", "units"), orderable=False
    )
    created_at = DateTimeTextColumn(verbose_name="提出时间", format="Y-m-d")
    age = tables.Column("已过天数", empty_values=(), order_by=("created_at",))
    due = tables.DateColumn(verbose_name="协调时限", format="Y-m-d")
    state = tables.Column("状态")
    note = tables.Column("办结说明", orderable=False, visible=False)

    class Meta(BaseTable.Meta):
        attrs = {"class": "table cards"}
        model = CoordinationItem
        fields = ["task", "text", "department", "kind", "created_at", "due", "state"]
        sequence = ("task", "text", "department", "kind", "actors", "created_at", "age", "due")
        order_by = ("due",)

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or clock.today()
        super().__init__(*args, **kwargs)

    def render_task(self, record):
        return format_html(
            '<a href="{}">{}年 {}</a>',
            record.task.get_absolute_url(),
            record.task.plan.year,
            record.task.number,
        )

    def value_task(self, record):
        return f"{record.task.plan.year}-{record.task.number}"

    def render_text(self, record):
        text = record.text if len(record.text) <= 60 else record.text[:60] + "…"
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)

    def value_text(self, record):
        return record.text

    def _age(self, record) -> int:
        """Days since it was raised; a closed item's age stops at its closing."""
        closed = record.closed_at and not record.is_active
        end = timezone.localdate(record.closed_at) if closed else self.today
        return max(0, (end - timezone.localdate(record.created_at)).days)

    def render_age(self, record):
        return f"{self._age(record)} 天"

    def value_age(self, record):
        return self._age(record)

    def render_due(self, record, value):
        text = f"{value:%Y-%m-%d}"
        if record.is_active and value < self.today:
            return format_html('<span class="overdue-text">{}（已超期）</span>', text)
        return text

    def value_due(self, record, value):
        return f"{value:%Y-%m-%d}"

    def value_created_at(self, record, value):
        return f"{value:%Y-%m-%d}"
