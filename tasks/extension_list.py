"""The list of deadline extension applications (延期申请): the office sees all of them, a
leader those of the tasks he or she leads, a unit its own; pending first, filtered, searched,
with the number of extensions per task and per unit (approved ones count as 延期)."""

import django_filters
import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.export import maybe_export
from common.filters import BaseFilterSet
from common.tables import BaseTable, DateTimeTextColumn
from common.widgets import FastSelect
from departments.models import Department

from . import clock
from .models import ExtensionApplication, Plan

State = ExtensionApplication.State
PENDING_CHOICE = "pending"


def applications_in_scope(user):
    """The applications this person's list shows, or None when the list is not theirs."""
    person = person_of(user)
    queryset = ExtensionApplication.objects.all()
    if person.is_office:
        return queryset
    if person.leader is not None:
        return queryset.filter(task__leader_links__leader=person.leader)
    if person.unit is not None:
        return queryset.filter(unit=person.unit)
    return None


def pending_first(queryset):
    rank = Case(
        When(state__in=ExtensionApplication.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(pending_rank=rank).order_by("pending_rank", "-applied_at", "-pk")


class ExtensionFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[(PENDING_CHOICE, "审批中（全部）"), *State.choices],
        method="by_state",
    )
    plan = django_filters.ModelChoiceFilter(
        label="方案", field_name="task__plan", queryset=Plan.objects.all(), widget=FastSelect
    )
    unit = django_filters.ModelChoiceFilter(
        label="申请单位", queryset=Department.objects.all(), widget=FastSelect
    )

    class Meta:
        model = ExtensionApplication
        fields = ["q", "state", "plan", "unit"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(task__number=value)
            | Q(task__text__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(reason__icontains=value)
        )

    def by_state(self, queryset, name, value):
        if value == PENDING_CHOICE:
            return queryset.filter(state__in=ExtensionApplication.PENDING)
        return queryset.filter(state=value)


class ExtensionTable(BaseTable):
    task = tables.Column("任务", accessor="task__number", order_by=("task__sort_order",))
    subject = tables.Column("延期事项", empty_values=(), orderable=False)
    unit = tables.Column("申请单位", accessor="unit__name")
    original_date = tables.DateColumn(verbose_name="原时限", format="Y-m-d")
    requested_date = tables.DateColumn(verbose_name="申请延期至", format="Y-m-d")
    state = tables.Column("状态")
    applied_at = DateTimeTextColumn(verbose_name="申请时间", format="Y-m-d H:i")
    task_extensions = tables.Column("已延期次数", empty_values=(), orderable=False)
    action = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        attrs = {"class": "table cards"}  # a card per row on a phone (app.css)

    def __init__(self, *args, per_task: dict, **kwargs):
        self.per_task = per_task
        super().__init__(*args, **kwargs)

    def render_task(self, record):
        return format_html(
            '<a href="{}">{}年 任务 {}</a>',
            record.task.get_absolute_url(),
            record.task.plan.year,
            record.task.number,
        )

    def value_task(self, record):
        return f"{record.task.plan.year}年 任务 {record.task.number}"

    def render_subject(self, record):
        return record.subject

    def render_state(self, record):
        css = "pending" if record.is_pending else record.state
        return format_html(
            '<span class="ext-state ext-{}">{}</span>', css, record.get_state_display()
        )

    def value_state(self, record):
        return record.get_state_display()

    def render_task_extensions(self, record):
        return self.per_task.get(record.task_id, 0)

    def render_action(self, record):
        return format_html('<a class="button" href="{}">查看</a>', _url(record))


def _url(record):
    return reverse("tasks:extension", args=[record.pk])


def per_unit_counts(queryset) -> list[dict]:
    """Applications per unit in scope: 申请, 已批准 (延期次数), 已驳回, 审批中 (one query)."""
    return list(
        queryset.order_by()
        .values("unit__name")
        .annotate(
            applied=Count("pk"),
            approved=Count("pk", filter=Q(state=State.APPROVED)),
            refused=Count("pk", filter=Q(state=State.REFUSED)),
            pending=Count("pk", filter=Q(state__in=ExtensionApplication.PENDING)),
        )
        .order_by("-approved", "-applied", "unit__name")
    )


def per_task_counts(queryset, task_ids) -> dict[int, int]:
    """Approved extensions of each task shown (one query)."""
    return dict(
        queryset.filter(task__in=task_ids, state=State.APPROVED)
        .order_by()
        .values("task")
        .annotate(n=Count("pk"))
        .values_list("task", "n")
    )


@login_required
def extension_list(request):
    scope = applications_in_scope(request.user)
    if scope is None:
        raise PermissionDenied("仅督查室、区领导和责任单位可查看延期申请。")
    filterset = ExtensionFilterSet(request.GET or None, queryset=scope)
    rows = pending_first(filterset.qs.select_related("task__plan", "unit", "node"))
    table = ExtensionTable(rows, per_task=per_task_counts(scope, filterset.qs.values("task")))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "延期申请", as_of=clock.today()):
        return exported
    return render(
        request,
        "tasks/extension_list.html",
        {
            "filter": filterset,
            "table": table,
            "per_unit": per_unit_counts(scope),
            "is_office": person_of(request.user).is_office,
        },
    )
