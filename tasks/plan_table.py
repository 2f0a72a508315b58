"""The whole plan as the office and leaders read it: each task's state beside its data.

状态, 完成/序时 and 最近报送 come from the task states of the as-of date (tasks.progress, kept as
tasks.plan_rows.ListState), which are computed for the whole plan at once; sorting on them
orders the queryset by the position each task takes in that order (one CASE expression), so
the page costs the same queries whatever the plan's size. Headings (tasks.reportable) have no
state and read "分项任务". The rows are the kept plain values of tasks.plan_rows
(common.tables.KeptRowsData): the page's query selects the ids only.
"""

import datetime

import django_filters
import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from common.tables import JoinedColumn, KeptRowsData
from common.widgets import SpacedSelect

from .deadline_column import DeadlineColumn
from .filters import CHOICE_FILTERS, TaskFilterSet
from .periods import period_label
from .status import Status
from .tables import TaskTable, light_html
from .unit_todo_filters import KeptSelect

HEADING = "分项任务"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


class PlanTaskFilterSet(TaskFilterSet):
    """The task list's filter bar. Its selects draw the plan's kept choices (tasks.plan_rows,
    with KeptSelect: no query, no instance, one f-string per option), and a select's queryset
    is built only to check a value chosen in it: the bar (built, validated, rendered) took 2.6
    ms of CPU with every queryset built and FastSelect, 1.25 this way (a loop of 400, median,
    2026-12-01)."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices(), method="by_status", widget=SpacedSelect
    )

    class Meta(TaskFilterSet.Meta):
        fields = [*TaskFilterSet.Meta.fields, "status"]

    def __init__(self, *args, states, choices, **kwargs):
        self.states = states
        super().__init__(*args, **kwargs)
        for name in CHOICE_FILTERS:
            # The filter's field is built with this widget (as BaseFilterSet's empty_label).
            extra = self.filters[name].extra
            options = (("", extra["empty_label"]), *getattr(choices, name))
            extra["widget"] = KeptSelect(options=options)

    def plan_querysets(self, plan, names=CHOICE_FILTERS) -> dict:
        return super().plan_querysets(plan, [name for name in names if self.data.get(name)])

    def by_status(self, queryset, name, value):
        return queryset.filter(pk__in=[pk for pk, s in self.states.items() if s.status == value])


class PlanTaskTable(TaskTable):
    """TaskTable over tasks.plan_rows.TaskRow records (`rows`, pk -> row), with the states."""

    # Every cell is render(record) of a kept row (empty_values=(): common/templatetags/
    # table_rows.py calls it directly); the names come with the rows: nothing to prefetch.
    number = tables.Column(
        "编号", order_by=("sort_order",), attrs={"td": {"class": "num"}}, empty_values=()
    )
    text = tables.Column("工作任务", order_by=("sort_order",), orderable=False, empty_values=())
    section = tables.Column("所属部分", order_by=("section__order", "sort_order"), empty_values=())
    lead_leaders = JoinedColumn("牵头领导", names=lambda r: r.leaders)
    lead_units = JoinedColumn("牵头单位", names=lambda r: r.lead_units)
    cooperating_units = JoinedColumn("配合单位", names=lambda r: r.cooperating_units)
    light = tables.Column("状态", empty_values=())
    completion = tables.Column("完成/序时", empty_values=(), exclude_from_export=True)
    latest = tables.Column("最近报送", empty_values=())
    deadline = DeadlineColumn()
    # The file gets the two figures as two number columns (the page shows them as one).
    completion_value = tables.Column("完成进度", empty_values=(), visible=False)
    expected_value = tables.Column("序时进度", empty_values=(), visible=False)
    completion_value.export_kind = expected_value.export_kind = "percent"

    class Meta(TaskTable.Meta):
        sequence = ("number", "text", "light", "completion", "deadline", "latest", "...")

    def __init__(self, queryset, *args, states, rows, **kwargs):
        self.states = states
        # This table's lights and period labels, each written once: a page's 50 rows show a
        # few of each (0.57 -> 0.06 ms CPU for the two columns of a page, a loop, 2026-12-01).
        self._lights = {}
        self._labels = {}
        super().__init__(KeptRowsData(queryset, rows), *args, **kwargs)

    # --- cells ---------------------------------------------------------------------------
    def render_number(self, record):
        return record.number

    def render_light(self, record):
        state = self.states.get(record.pk)
        key = (state.status, state.closed_on) if state else None
        found = self._lights.get(key)
        if found is None:
            found = self._lights[key] = (
                light_html(*key) if state else format_html('<span class="muted">{}</span>', HEADING)
            )
        return found

    def _period_label(self, key: str) -> str:
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = period_label(key)
        return found

    def value_light(self, record):
        state = self.states.get(record.pk)
        return state.label if state else HEADING

    def render_completion(self, record):
        state = self.states.get(record.pk)
        if state is None:
            return "—"
        return f"{_percent(state.completion)} / {_percent(state.expected)}"

    def value_completion_value(self, record):
        state = self.states.get(record.pk)
        return None if state is None else state.completion

    def value_expected_value(self, record):
        state = self.states.get(record.pk)
        return None if state is None else state.expected

    def render_completion_value(self, record):
        return _percent(self.value_completion_value(record))

    def render_expected_value(self, record):
        return _percent(self.value_expected_value(record))

    def render_latest(self, record):
        state = self.states.get(record.pk)
        if state is None:
            return "—"
        if state.latest_key is None:
            return format_html('<span class="muted">{}</span>', "尚未报送")
        return self._period_label(state.latest_key)

    def value_latest(self, record):
        state = self.states.get(record.pk)
        if state is None or state.latest_key is None:
            return ""
        return self._period_label(state.latest_key)

    # --- sorting on computed figures ------------------------------------------------------
    def _by(self, queryset, is_descending, key):
        ids = sorted(self.states, key=lambda pk: key(self.states[pk]), reverse=is_descending)
        last = len(ids)  # headings (no state) after every task, whichever direction
        position = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
            default=Value(last),
            output_field=IntegerField(),
        )
        return queryset.annotate(sort_position=position).order_by("sort_position"), True

    def order_light(self, queryset, is_descending):
        # Ascending: the most urgent first (严重滞后, 未报送, 滞后, …).
        return self._by(queryset, is_descending, lambda s: s.status.severity)

    def order_completion(self, queryset, is_descending):
        # Ascending: furthest behind 序时进度 first.
        return self._by(
            queryset,
            is_descending,
            lambda s: (s.completion if s.completion is not None else -1) - s.expected,
        )

    def order_latest(self, queryset, is_descending):
        # Ascending: the longest silent first (never reported before any report).
        return self._by(
            queryset,
            is_descending,
            lambda s: s.latest_start or datetime.date.min,
        )
