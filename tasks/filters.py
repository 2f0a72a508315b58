import django_filters
from django.db.models import Q

from common.filters import BaseFilterSet
from common.widgets import FastSelect
from departments.models import Department
from leaders.models import Leader

from .access import involving_unit
from .models import Section, Task, TaskLeader, TaskUnit


class TaskFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    section = django_filters.ModelChoiceFilter(
        label="所属部分", queryset=Section.objects.none(), widget=FastSelect
    )
    leader = django_filters.ModelChoiceFilter(
        label="牵头领导", queryset=Leader.objects.all(), method="by_leader", widget=FastSelect
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位",
        queryset=Department.objects.all(),
        method="by_lead_unit",
        widget=FastSelect,
    )
    unit = django_filters.ModelChoiceFilter(
        label="涉及单位", queryset=Department.objects.all(), method="by_unit", widget=FastSelect
    )

    class Meta:
        model = Task
        fields = ["q", "section", "leader", "lead_unit", "unit"]

    def __init__(self, *args, plan, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in self.plan_querysets(plan).items():
            self.filters[name].queryset = queryset
        if choices is not None:
            self._use_choices(choices)

    def plan_querysets(self, plan) -> dict:
        """The selects' querysets: what they offer, and what a value chosen is checked against."""
        # Only the plan's leaders and units: a province database holds every county's (about
        # 30,000 options, 6.8 of a 7.5 s page). Subqueries: no query of their own.
        links = TaskUnit.objects.filter(task__plan=plan)
        return {
            "section": Section.objects.filter(plan=plan),
            "leader": Leader.objects.filter(
                pk__in=TaskLeader.objects.filter(task__plan=plan).values("leader")
            ),
            "lead_unit": Department.objects.filter(
                pk__in=links.filter(role=TaskUnit.Role.LEAD).values("department")
            ),
            "unit": Department.objects.filter(
                Q(pk__in=links.values("department")) | Q(pk__in=links.values("group__members"))
            ),
        }

    def _use_choices(self, choices) -> None:
        """The options from the plan's kept choices (tasks.plan_rows.filter_choices: the same
        values, labels and order the querysets above give), so rendering the bar reads no
        query and builds no instance; a chosen value is still checked against the queryset."""
        fields = self.form.fields
        for name, pairs in (
            ("section", choices.sections),
            ("leader", choices.leaders),
            ("lead_unit", choices.lead_units),
            ("unit", choices.units),
        ):
            # Select.choices (documented): the options the widget renders; the field's
            # queryset still validates what comes in.
            fields[name].widget.choices = [("", fields[name].empty_label), *pairs]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(Q(number=value) | Q(text__icontains=value))
        return queryset.filter(
            Q(text__icontains=value)
            | Q(title__icontains=value)
            | Q(unit_links__department__name__icontains=value)
            | Q(leader_links__leader__name=value)
        ).distinct()

    def by_leader(self, queryset, name, value):
        return queryset.filter(leader_links__leader=value).distinct()

    def by_lead_unit(self, queryset, name, value):
        return queryset.filter(
            unit_links__role=TaskUnit.Role.LEAD, unit_links__department=value
        ).distinct()

    def by_unit(self, queryset, name, value):
        return involving_unit(queryset, value)
