"""The office's review queue: filters (unit, period, state, a search) and batch 采纳.

A batch is one POST and one transaction: every checked report goes through reporting.accept,
which locks it and asks the access rules, so a report someone else took meanwhile, one the
person may not see or one not in an acceptable state is skipped and named, never half done.
Sent twice (a double click) the second finds the reports accepted and changes nothing.
"""

from dataclasses import dataclass, field

import django_filters
import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html

from common.filters import BaseFilterSet
from common.widgets import FastSelect, SpacedSelect
from departments.models import Department

from . import reporting, revision
from .access import can_review, reports_visible_to
from .models import ProgressReport
from .periods import period_label
from .tables import ReviewTable

State = ProgressReport.State
MAX_BATCH = 500


class ReviewFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    department = django_filters.ModelChoiceFilter(
        label="单位", queryset=Department.objects.all(), widget=FastSelect
    )
    period_key = django_filters.ChoiceFilter(label="期次", choices=(), widget=SpacedSelect)
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[(State.SUBMITTED, "已提交"), (State.APPROVED, "已审核")],
        widget=SpacedSelect,
    )

    class Meta:
        model = ProgressReport
        fields = ["q", "department", "period_key", "state"]

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period_key"].extra["choices"] = [(k, period_label(k)) for k in periods]
        # The unit options from the kept list (Select.choices, documented; the same values,
        # labels and order as the queryset, which still validates what comes in): no query
        # and no instance for the 88 options.
        field = self.form.fields["department"]
        field.widget.choices = [("", field.empty_label), *unit_choices()]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(task__number=value)
            | Q(task__text__icontains=value)
            | Q(department__name__icontains=value)
        )


def unit_choices() -> tuple[tuple[int, str], ...]:
    """Every unit as (pk, name), kept (tasks.revision: a unit's change moves it)."""
    return revision.memo(
        "unit-choices", (), lambda: tuple((d.pk, str(d)) for d in Department.objects.all())
    )


def queued_periods(queryset) -> list[str]:
    """The periods the queue holds reports of, newest first (one query)."""
    keys = queryset.order_by().values_list("period_key", flat=True).distinct()
    return sorted(keys, reverse=True)


class OfficeReviewTable(ReviewTable):
    """The queue with a box per row, for 批量采纳."""

    select = tables.CheckBoxColumn(
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        empty_values=(),  # a pk: render_select(record) is the cell
        attrs={"th__input": {"data-check-all": "reports", "aria-label": "全选"}},
    )

    class Meta(ReviewTable.Meta):
        sequence = ("select", "...")

    def render_select(self, record):
        return format_html(
            '<input type="checkbox" name="reports" value="{}" aria-label="选择 {} {}">',
            record.pk,
            record.task.number,
            record.department.name,
        )


@dataclass
class BatchResult:
    accepted: list[ProgressReport] = field(default_factory=list)
    skipped: list[tuple[ProgressReport | None, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        words = f"已采纳 {len(self.accepted)} 份报告"
        if self.skipped:
            words += f"，{len(self.skipped)} 份未采纳（已被处理或无权处理）"
        return words + "。"


def accept_many(user, ids) -> BatchResult:
    """采纳 every report of `ids` the person may accept, in one transaction."""
    if not can_review(user):
        raise PermissionDenied("只有督查室可以采纳")
    ids = sorted({int(i) for i in ids})[:MAX_BATCH]
    result = BatchResult()
    with transaction.atomic():
        visible = {
            r.pk: r
            for r in reports_visible_to(user, ProgressReport.objects.filter(pk__in=ids))
            .select_related("task", "department")
            .order_by("pk")
        }
        for pk in ids:
            report = visible.get(pk)
            if report is None:
                result.skipped.append((None, "无权查看或不存在"))
                continue
            if report.state not in (State.SUBMITTED, State.APPROVED):
                result.skipped.append((report, report.get_state_display()))
                continue
            try:
                with transaction.atomic():
                    result.accepted.append(reporting.accept(report, user))
            except (reporting.ReportError, PermissionDenied) as error:
                result.skipped.append((report, str(error)))
    return result
